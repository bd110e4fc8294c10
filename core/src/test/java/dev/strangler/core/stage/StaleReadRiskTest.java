package dev.strangler.core.stage;

import dev.strangler.core.routing.PathPattern;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StaleReadRiskTest {

    private static Route route(String name, String path, Stage stage, String... methods) {
        return Route.of(name, RouteMatch.path(path).withMethods(methods), "posts").withStage(stage);
    }

    private static List<String> pairs(Route... routes) {
        return StaleReadRisk.find(List.of(routes)).stream()
                .map(r -> r.writes().name() + "→" + r.reads().name() + " " + r.kind()).toList();
    }

    @Test
    void readsThatFallBackToTheMonolithAfterTheWritesWentLiveAreARiskNamingBothRoutes() {
        Route writes = route("posts-write", "/api/posts/**", Stage.LIVE, "POST", "PUT", "DELETE");
        Route reads = route("posts-read", "/api/posts/{id}", Stage.LIVE, "GET");

        List<StaleReadRisk> risks = StaleReadRisk.find(List.of(writes, reads));

        assertThat(risks).containsExactly(new StaleReadRisk(writes, reads, StaleReadRisk.Kind.FALLBACK));
        assertThat(risks.getFirst().message()).isEqualTo("routes posts-write and posts-read: posts-write sends writes "
                + "(DELETE, POST, PUT) of /api/posts/** to service posts (live), but posts-read's reads of /api/posts/{id} "
                + "fall back to the monolith when the service fails (fallback: safe), and the monolith no longer sees those "
                + "writes: it can answer them stale or missing (e.g. 404 for a record created on the service); set "
                + "fallback: none on posts-read to answer the service's error instead, or accept stale reads during an outage");
    }

    @Test
    void fallbackNoneOnTheReadsRemovesTheRisk() {
        assertThat(pairs(route("posts-write", "/api/posts/**", Stage.RETIRED, "POST"),
                route("posts-read", "/api/posts/**", Stage.LIVE, "GET").withFallback(FallbackPolicy.NONE))).isEmpty();
    }

    @Test
    void oneLiveRouteForEveryMethodThatFallsBackIsARiskWithItself() {
        Route users = route("users", "/api/users/{id}", Stage.LIVE);

        List<StaleReadRisk> risks = StaleReadRisk.find(List.of(users));

        assertThat(pairs(users)).containsExactly("users→users FALLBACK");
        assertThat(risks.getFirst().message()).startsWith("route users sends writes (every method) of /api/users/{id} to "
                + "service posts (live), but its reads fall back to the monolith when the service fails (fallback: safe)");
        assertThat(pairs(users.withFallback(FallbackPolicy.NONE))).isEmpty();
        assertThat(pairs(users.withStage(Stage.RETIRED))).isEmpty(); // retired never falls back
    }

    @Test
    void readsStillAnsweredByTheMonolithWhileWritesAreLiveAreARiskWhateverTheFallback() {
        Route writes = route("posts-write", "/api/posts/**", Stage.LIVE, "POST");

        assertThat(pairs(writes, route("posts-read", "/api/posts/**", Stage.SHADOW, "GET").withFallback(FallbackPolicy.NONE)))
                .containsExactly("posts-write→posts-read MONOLITH_READS");
        assertThat(pairs(writes, route("posts-read", "/api/posts/**", Stage.CANARY, "GET")))
                .containsExactly("posts-write→posts-read MONOLITH_READS");
        assertThat(StaleReadRisk.find(List.of(writes, route("posts-read", "/api/posts/**", Stage.MONOLITH, "GET")))
                .getFirst().message()).endsWith("; move posts-read to live before (or with) posts-write");
    }

    @Test
    void noRiskWhileTheWritesAreNotServedByTheService() {
        for (Stage s : List.of(Stage.MONOLITH, Stage.SHADOW, Stage.CANARY)) {
            assertThat(pairs(route("posts-write", "/api/posts/**", s, "POST"), route("posts-read", "/api/posts/**", Stage.LIVE, "GET")))
                    .as(s.configName()).isEmpty();
        }
    }

    @Test
    void noRiskForAReadOnlyLiveRouteOrRoutesOnOtherPathsHostsOrHeaders() {
        assertThat(pairs(route("posts-read", "/api/posts/**", Stage.LIVE, "GET", "HEAD"))).isEmpty();
        assertThat(pairs(route("users-write", "/api/users/**", Stage.LIVE, "POST"), route("posts-read", "/api/posts/**", Stage.LIVE, "GET")))
                .isEmpty();
        Route writes = Route.of("w", RouteMatch.path("/api/**").withMethods("POST").withHost("a.example"), "posts").withStage(Stage.LIVE);
        Route reads = Route.of("r", RouteMatch.path("/api/**").withMethods("GET").withHost("b.example"), "posts").withStage(Stage.LIVE);
        assertThat(pairs(writes, reads)).isEmpty();
        Route beta = Route.of("w", RouteMatch.path("/api/**").withMethods("POST").withHeader("X-Beta", "1"), "posts").withStage(Stage.LIVE);
        Route stable = Route.of("r", RouteMatch.path("/api/**").withMethods("GET").withHeader("X-Beta", "0"), "posts").withStage(Stage.LIVE);
        assertThat(pairs(beta, stable)).isEmpty();
    }

    @Test
    void pathPatternsOverlapWhenSomePathMatchesBoth() {
        assertThat(StaleReadRisk.pathsOverlap(PathPattern.parse("/api/posts/**"), PathPattern.parse("/api/posts"))).isTrue();
        assertThat(StaleReadRisk.pathsOverlap(PathPattern.parse("/api/posts/{id}"), PathPattern.parse("/api/{kind}/7"))).isTrue();
        assertThat(StaleReadRisk.pathsOverlap(PathPattern.parse("/api/**"), PathPattern.parse("/api/posts/{id}/comments"))).isTrue();
        assertThat(StaleReadRisk.pathsOverlap(PathPattern.parse("/api/posts/{id}"), PathPattern.parse("/api/posts"))).isFalse();
        assertThat(StaleReadRisk.pathsOverlap(PathPattern.parse("/api/posts/{id}"), PathPattern.parse("/api/users/{id}"))).isFalse();
        assertThat(StaleReadRisk.pathsOverlap(PathPattern.parse("/a/{x}/c"), PathPattern.parse("/a/b/{y}/d"))).isFalse();
    }

    @Test
    void fallbackNoneAllowsNoMethod() {
        for (String m : List.of("GET", "HEAD", "OPTIONS", "POST")) assertThat(FallbackPolicy.NONE.allows(m)).as(m).isFalse();
        assertThat(FallbackPolicy.SAFE.allows("GET")).isTrue();
        assertThat(FallbackPolicy.ALL.allows("POST")).isTrue();
    }
}
