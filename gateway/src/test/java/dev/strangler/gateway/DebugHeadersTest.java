package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DebugHeadersTest {
    private static final List<Route> ROUTES = List.of(
            Route.of("posts-read", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.LIVE),
            Route.of("posts-shadow", RouteMatch.path("/api/drafts/**"), "posts").withStage(Stage.SHADOW));

    @Test
    void withDebugHeadersOnARoutedResponseNamesItsRouteAndStage() throws Exception {
        try (var h = new GatewayHarness(ROUTES, c -> c.withDebugHeaders(true))) {
            HttpResponse<String> live = h.get("/api/posts/1");
            assertThat(live.headers().firstValue("X-Strangler-Route")).hasValue("posts-read");
            assertThat(live.headers().firstValue("X-Strangler-Stage")).hasValue("live");
            assertThat(live.headers().firstValue("X-Served-By")).hasValue("posts");

            HttpResponse<String> shadowed = h.get("/api/drafts/1");
            assertThat(shadowed.headers().firstValue("X-Strangler-Route")).hasValue("posts-shadow");
            assertThat(shadowed.headers().firstValue("X-Strangler-Stage")).hasValue("shadow");
            assertThat(shadowed.headers().firstValue("X-Served-By")).hasValue("monolith");
        }
    }

    @Test
    void theGatewaysOwnErrorResponseCarriesThemToo() throws Exception {
        try (var h = new GatewayHarness(List.of(Route.of("posts-read", RouteMatch.path("/api/posts/**"), "posts")
                .withStage(Stage.RETIRED)), c -> c.withDebugHeaders(true))) {
            h.service.close(); // retired: no fallback, the gateway answers 502 itself
            HttpResponse<String> r = h.get("/api/posts/1");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.headers().firstValue("X-Strangler-Route")).hasValue("posts-read");
            assertThat(r.headers().firstValue("X-Strangler-Stage")).hasValue("retired");
        }
    }

    @Test
    void aRequestNoRouteClaimsGetsNoDebugHeaders() throws Exception {
        try (var h = new GatewayHarness(ROUTES, c -> c.withDebugHeaders(true))) {
            HttpResponse<String> r = h.get("/api/users/1");
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("monolith");
            assertThat(r.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-strangler-"));
        }
    }

    @Test
    void byDefaultNoResponseTellsHowTheApiIsBeingMoved() throws Exception {
        try (var h = new GatewayHarness(ROUTES)) {
            HttpResponse<String> r = h.get("/api/posts/1");
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("posts");
            assertThat(r.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-strangler-"));
        }
    }
}
