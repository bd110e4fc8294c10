package dev.strangler.core.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestPathTest {

    @Test
    void segmentsSkipEmptyOnes() {
        assertThat(RequestPath.segments("//api/posts//7/")).containsExactly("api", "posts", "7");
        assertThat(RequestPath.segments("/")).isEmpty();
        assertThat(RequestPath.segments("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/posts", "/api/posts/", "/files/report.v2.pdf", "/a/...", "/a/.hidden", "/a/%2e%2e%2e", "/a/x;v=1", "/a/...;x"})
    void ordinaryPathsAreRoutable(String path) {
        assertThat(RequestPath.isRoutable(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "api/posts", "*", "http://example.com/api"})
    void aPathThatIsNotAbsoluteIsNotRoutable(String path) {
        assertThat(RequestPath.isRoutable(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/../admin", "/api/./posts", "/..", "/api/posts/..", "/api/%2e%2e/admin",
            "/api/%2E%2E/admin", "/api/.%2e/admin", "/api/%2e/posts", "/api/posts/%2E",
            "/api/..;/admin", "/api/..;jsessionid=x/admin", "/api/.%3B/posts"})
    void aPathWithAPlainOrEncodedDotSegmentIsNotRoutable(String path) {
        assertThat(RequestPath.isRoutable(path)).isFalse();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "/api/orders;jsessionid=1/7, /api/orders/7",
            "/app;jsessionid=1/api/orders/7, /app/api/orders/7",
            "/api/orders/7;v=2, /api/orders/7",
            "/api/;x/orders, /api/orders",
            "/api/orders;x/, /api/orders/",
            "/;x, /",
            "/a;b;c/d, /a/d",
            "/api/orders/7, /api/orders/7"})
    void withoutParametersReadsThePathAsAServletContainerDoes(String path, String read) {
        assertThat(RequestPath.withoutParameters(path)).isEqualTo(read);
    }

    @Test
    void aPathWithoutParametersIsReturnedAsItIs() {
        String path = "/api/orders/7";
        assertThat(RequestPath.withoutParameters(path)).isSameAs(path);
    }
}
