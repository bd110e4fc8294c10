package dev.strangler.core.rewrite;

import dev.strangler.core.routing.PathPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PathRewriteTest {

    private static String rewrite(String pattern, String template, String path) {
        PathPattern p = PathPattern.parse(pattern);
        return PathRewrite.parse(template, p).apply(p, path);
    }

    @ParameterizedTest
    @CsvSource({
            "/api/posts/7/comments, /posts/7/comments",
            "/api/posts/7,          /posts/7",
            "/api/posts,            /posts",
            "/api/posts/,           /posts",
            "/api/posts//7//,       /posts/7",
    })
    void aPrefixIsReplacedAndTheRestCarriedOver(String path, String expected) {
        assertThat(rewrite("/api/posts/**", "/posts/**", path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "/legacy/reports/2024/q1, /reports/2024/q1",
            "/legacy/x,               /x",
            "/legacy,                 /",
            "/legacy/,                /",
    })
    void aPrefixIsStrippedDownToTheRoot(String path, String expected) {
        assertThat(rewrite("/legacy/**", "/**", path)).isEqualTo(expected);
    }

    @Test
    void aTemplateFillsInParametersByName() {
        assertThat(rewrite("/api/v1/users/{id}", "/users/{id}", "/api/v1/users/42")).isEqualTo("/users/42");
    }

    @Test
    void parametersMayBeReorderedRepeatedOrDropped() {
        String pattern = "/orgs/{org}/repos/{repo}/issues/{number}";

        assertThat(rewrite(pattern, "/repos/{repo}/of/{org}/{number}", "/orgs/acme/repos/rocket/issues/7"))
                .isEqualTo("/repos/rocket/of/acme/7");
        assertThat(rewrite(pattern, "/{org}/{org}", "/orgs/acme/repos/rocket/issues/7")).isEqualTo("/acme/acme");
        assertThat(rewrite(pattern, "/issues", "/orgs/acme/repos/rocket/issues/7")).isEqualTo("/issues");
    }

    @Test
    void parametersAndRestCombine() {
        assertThat(rewrite("/api/tenants/{tenant}/**", "/t/{tenant}/v2/**", "/api/tenants/acme/orders/9/lines"))
                .isEqualTo("/t/acme/v2/orders/9/lines");
        assertThat(rewrite("/api/tenants/{tenant}/**", "/t/{tenant}/v2/**", "/api/tenants/acme"))
                .isEqualTo("/t/acme/v2");
    }

    @Test
    void segmentsAreCarriedVerbatimWithoutDecoding() {
        assertThat(rewrite("/api/files/**", "/files/**", "/api/files/a%20b/c%2Fd")).isEqualTo("/files/a%20b/c%2Fd");
        assertThat(rewrite("/api/users/{id}", "/users/{id}", "/api/users/j%C3%B6rg")).isEqualTo("/users/j%C3%B6rg");
    }

    @Test
    void aTemplateWithoutRestDropsWhatTheCatchAllCovered() {
        assertThat(rewrite("/api/health/**", "/status", "/api/health/deep/check")).isEqualTo("/status");
    }

    @Test
    void aTrailingSlashWrittenInTheTemplateIsKept() {
        assertThat(rewrite("/api/users/{id}", "/users/{id}/", "/api/users/42")).isEqualTo("/users/42/");
    }

    @Test
    void aPathThatDoesNotMatchThePatternIsRefused() {
        PathPattern pattern = PathPattern.parse("/api/users/{id}");
        PathRewrite rewrite = PathRewrite.parse("/users/{id}", pattern);

        assertThatIllegalArgumentException().isThrownBy(() -> rewrite.apply(pattern, "/api/posts/1"))
                .withMessageContaining("/api/posts/1").withMessageContaining("/api/users/{id}");
    }

    @Test
    void anUnknownParameterIsRefusedNamingTheKnownOnes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.parse("/users/{userId}", PathPattern.parse("/api/users/{id}")))
                .withMessageContaining("{userId}").withMessageContaining("/api/users/{id}").withMessageContaining("[id]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.parse("/users/{id}", PathPattern.parse("/api/users/**")))
                .withMessageContaining("no parameters");
    }

    @Test
    void aSingleStarOfThePatternCannotBeReferencedAsAParameter() {
        assertThatIllegalArgumentException().isThrownBy(() -> PathRewrite.parse("/x/{*1}", PathPattern.parse("/api/*")));
    }

    @Test
    void aRestWithoutACatchAllInThePatternIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.parse("/users/**", PathPattern.parse("/api/users/{id}")))
                .withMessageContaining("'**'").withMessageContaining("/api/users/{id}");
    }

    @Test
    void aRestMayOnlyEndTheTemplate() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.parse("/posts/**/x", PathPattern.parse("/api/posts/**")))
                .withMessageContaining("'**' may only end the template");
    }

    @Test
    void aTemplateMustStartWithASlash() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.parse("posts/**", PathPattern.parse("/api/posts/**")))
                .withMessageContaining("must start with '/'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users/{id}.json", "/users/user-{id}", "/users/{id", "/users/id}", "/posts**", "/posts/*", "/posts/a*b"})
    void aSegmentMixingTextAndAPlaceholderIsRefusedRatherThanSentLiterally(String template) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.parse(template, PathPattern.parse("/api/users/{id}/**")))
                .withMessageContaining(template.substring(template.lastIndexOf('/') + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users/{id}?format=json", "/users?x=1", "/users#top"})
    void aQueryOrFragmentIsRefusedBecauseTheRequestsQueryIsAppendedAsItWas(String template) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.parse(template, PathPattern.parse("/api/users/{id}")))
                .withMessageContaining("query or fragment");
    }

    @Test
    void aRewritePrintsAsWrittenAndComparesByTemplate() {
        PathPattern pattern = PathPattern.parse("/api/posts/**");

        assertThat(PathRewrite.parse("/posts/**", pattern)).hasToString("/posts/**")
                .isEqualTo(PathRewrite.parse("/posts/**", pattern))
                .hasSameHashCodeAs(PathRewrite.parse("/posts/**", pattern))
                .isNotEqualTo(PathRewrite.parse("/**", pattern));
    }
}
