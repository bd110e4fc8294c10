package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowStageTest {

    private static Route shadow(ShadowSettings settings) {
        return shadow("/api/posts/**", settings);
    }

    private static Route shadow(String pattern, ShadowSettings settings) {
        return Route.of("posts", RouteMatch.path(pattern), "posts").withStage(Stage.SHADOW).withShadow(settings);
    }

    private static final Route SHADOW = shadow(ShadowSettings.DEFAULT);

    @Test
    void theUserGetsTheMonolithsAnswerWhileACopyMarkedAsShadowReachesTheService() throws Exception {
        try (var h = new GatewayHarness(List.of(SHADOW))) {
            HttpResponse<String> r = h.get("/api/posts/1?x=1", "X-Request-Id", "shadow-1");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("monolith");
            assertThat(h.monolith.next().headers()).doesNotContainKey("X-Strangler-Shadow");
            var copy = h.service.next();
            assertThat(copy.uri()).isEqualTo("/api/posts/1?x=1");
            assertThat(copy.headers()).containsEntry("X-Strangler-Shadow", "true").containsEntry("X-Request-Id", "shadow-1");
            // The echo bodies differ in "backend" only: exactly that path is reported.
            assertThat(h.nextShadowEvent()).isEqualTo("posts: mismatch $.backend");
            assertThat(h.nextOutcome().backend()).isEqualTo("monolith");
        }
    }

    @Test
    void aGetUpgradedToHttp2InClearTextIsStillCopiedAndCompared() throws Exception {
        try (var h = new GatewayHarness(List.of(SHADOW));
             var h2 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build()) {
            // The upgrade makes the request an HTTP/2 stream whose END_STREAM is not seen yet when its head is handled.
            HttpResponse<String> r = h2.send(java.net.http.HttpRequest.newBuilder(h.uri("/api/posts/1")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(h.nextShadowEvent()).isEqualTo("posts: mismatch $.backend");
        }
    }

    @Test
    void inACanaryTheMonolithsShareIsComparedWhenTheRouteAsksAndTheServicesShareIsNot() throws Exception {
        Route canary = Route.of("posts", RouteMatch.path("/api/posts/**"), "posts")
                .withCanary(50, dev.strangler.core.stage.StickyKey.parse("header:X-User").orElseThrow())
                .withShadow(new ShadowSettings(false, 64 * 1024, 8, List.of(), false, true));
        try (var h = new GatewayHarness(List.of(canary))) {
            int compared = 0;
            int servedByService = 0;
            for (int u = 0; u < 40; u++) {
                HttpResponse<String> r = h.get("/api/posts/1", "X-User", "user-" + u);
                if (r.headers().firstValue("X-Served-By").orElseThrow().equals("posts")) {
                    servedByService++;
                } else {
                    assertThat(h.nextShadowEvent()).isEqualTo("posts: mismatch $.backend");
                    compared++;
                }
            }
            assertThat(compared).isPositive();
            assertThat(servedByService).isPositive();
            assertThat(h.shadowEvents).isEmpty(); // no copy for users the service itself served
        }
    }

    @Test
    void anIgnoredPathMakesTheAnswersMatch() throws Exception {
        Route route = shadow(new ShadowSettings(false, 64 * 1024, 8, List.of("$.backend")));
        try (var h = new GatewayHarness(List.of(route))) {
            h.get("/api/posts/1");
            assertThat(h.nextShadowEvent()).isEqualTo("posts: match");
        }
    }

    @Test
    void writesAreNotCopiedUnlessTheRouteOptsIn() throws Exception {
        try (var h = new GatewayHarness(List.of(SHADOW))) {
            HttpResponse<String> r = h.send("POST", "/api/posts", "{\"title\":\"t\"}");
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("monolith");
            assertThat(h.nextShadowEvent()).isEqualTo("posts: dropped write-not-shadowed");
            assertThat(h.service.received).isEmpty();
        }
        Route writes = shadow(new ShadowSettings(true, 64 * 1024, 8, List.of("$.backend")));
        try (var h = new GatewayHarness(List.of(writes))) {
            h.send("POST", "/api/posts", "{\"title\":\"t\"}");
            assertThat(h.nextShadowEvent()).isEqualTo("posts: match");
            assertThat(h.service.next().bodyBytes()).isEqualTo(13);
        }
    }

    @Test
    void aHungServiceNeverDelaysTheUserAndItsCopiesAreBoundedAndCounted() throws Exception {
        Route route = shadow("/hold/**", new ShadowSettings(false, 64 * 1024, 1, List.of()));
        try (var h = new GatewayHarness(List.of(route), GatewayHarness.serviceTimeout(Duration.ofSeconds(2)))) {
            // The monolith answers /hold/a only after the test releases it; the service copy hangs on the same path.
            h.monolith.release("a");
            long start = System.nanoTime();
            HttpResponse<String> first = h.get("/hold/a");
            HttpResponse<String> second = h.get("/hold/a");
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(second.body()).getString("backend")).isEqualTo("monolith");
            // Generous for a loaded CI machine, and still well short of the 2 s the hung copy is given.
            assertThat(elapsedMillis).as("the user never waits for the shadow copy's 2 s timeout").isLessThan(1500);
            // One copy in flight per event loop at most: the second request on a busy loop is dropped,
            // and the hung copy ends as a counted timeout.
            List<String> events = List.of(h.nextShadowEvent(), h.nextShadowEvent());
            assertThat(events).contains("posts: dropped timeout");
            assertThat(events).allMatch(e -> e.equals("posts: dropped timeout") || e.equals("posts: dropped queue-full"));
        }
    }

    @Test
    void aServiceThatIsDownIsACountedDropNotAnErrorForTheUser() throws Exception {
        try (var h = new GatewayHarness(List.of(SHADOW))) {
            h.service.close();
            HttpResponse<String> r = h.get("/api/posts/1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(h.nextShadowEvent()).isEqualTo("posts: dropped service-failed");
            // Refused once: for a moment copies are not even attempted (same connection, same event loop).
            assertThat(h.get("/api/posts/2").statusCode()).isEqualTo(200);
            assertThat(h.nextShadowEvent()).isEqualTo("posts: dropped service-down");
        }
    }

    @Test
    void aResponseLargerThanTheLimitIsNotComparedButStillServedWhole() throws Exception {
        Route route = shadow("/bytes/**", new ShadowSettings(false, 1024, 8, List.of()));
        try (var h = new GatewayHarness(List.of(route))) {
            HttpResponse<String> r = h.get("/bytes/100000");
            assertThat(r.body()).hasSize(100_000);
            assertThat(h.nextShadowEvent()).isEqualTo("posts: dropped body-too-large");
        }
    }
}
