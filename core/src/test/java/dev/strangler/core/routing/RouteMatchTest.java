package dev.strangler.core.routing;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RouteMatchTest {

    @Test
    void methodsHostAndHeaderNamesAreNormalised() {
        RouteMatch match = RouteMatch.path("/api/**").withMethods("get", "Post").withHost("API.Example.com")
                .withHeader("X-Tenant", "Acme");

        assertThat(match.methods()).containsExactlyInAnyOrder("GET", "HEAD", "POST");
        assertThat(match.host()).hasValue("api.example.com");
        assertThat(match.headers()).isEqualTo(Map.of("x-tenant", "Acme"));
    }

    @Test
    void aRouteThatServesGetAlsoServesHead() {
        assertThat(RouteMatch.path("/a").withMethods("GET").methods()).containsExactlyInAnyOrder("GET", "HEAD");
        assertThat(RouteMatch.path("/a").withMethods("POST").methods()).containsExactly("POST");
    }

    @Test
    void aLaterHeaderConditionReplacesAnEarlierOneOnTheSameHeader() {
        RouteMatch match = RouteMatch.path("/api/**").withHeader("X-Tenant", "a").withHeader("X-Tenant", "b");

        assertThat(match.headers()).isEqualTo(Map.of("x-tenant", "b"));
        assertThat(match.conditionsHold(RequestFacts.Of.get("/api").withHeader("x-tenant", "b"))).isTrue();
        assertThat(match.conditionsHold(RequestFacts.Of.get("/api").withHeader("x-tenant", "a"))).isFalse();
    }

    @Test
    void headerValuesCompareExactly() {
        RouteMatch match = RouteMatch.path("/api/**").withHeader("X-Tenant", "Acme");

        assertThat(match.conditionsHold(RequestFacts.Of.get("/api").withHeader("X-TENANT", "Acme"))).isTrue();
        assertThat(match.conditionsHold(RequestFacts.Of.get("/api").withHeader("x-tenant", "acme"))).isFalse();
        assertThat(match.conditionsHold(RequestFacts.Of.get("/api"))).isFalse();
    }

    @Test
    void noMethodsMeansEveryMethod() {
        RouteMatch match = RouteMatch.path("/api/**");

        assertThat(match.conditionsHold(RequestFacts.Of.get("/api").withMethod("DELETE"))).isTrue();
        assertThat(match.withMethods("GET").conditionsHold(RequestFacts.Of.get("/api").withMethod("DELETE"))).isFalse();
    }

    @Test
    void aHostConditionOutranksHeadersWhichOutrankAMethodList() {
        RouteMatch plain = RouteMatch.path("/api/**");
        RouteMatch methods = plain.withMethods("GET");
        RouteMatch oneHeader = plain.withHeader("x-a", "1");
        RouteMatch twoHeaders = oneHeader.withHeader("x-b", "1");
        RouteMatch host = plain.withHost("api.example.com");

        assertThat(plain.conditionRank()).isLessThan(methods.conditionRank());
        assertThat(methods.conditionRank()).isLessThan(oneHeader.conditionRank());
        assertThat(oneHeader.conditionRank()).isLessThan(twoHeaders.conditionRank());
        assertThat(twoHeaders.withMethods("GET").conditionRank()).isLessThan(host.conditionRank());
        assertThat(new RouteMatch(java.util.Set.of(), plain.path(), Optional.of("h"), Map.of()).conditionRank())
                .isEqualTo(host.conditionRank());
    }
}
