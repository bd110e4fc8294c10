package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.FallbackPolicy;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyKey;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyStagesTest {
    private static Route posts(Stage stage) {
        return Route.of("posts-read", RouteMatch.path("/api/posts/**"), "posts").withStage(stage);
    }

    @Test
    void aRequestNoRouteClaimsGoesToTheMonolithUnchanged() throws Exception {
        try (var h = new GatewayHarness(List.of(posts(Stage.LIVE)))) {
            HttpResponse<String> r = h.get("/api/users/7?x=1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("monolith");
            assertThat(h.monolith.next().uri()).isEqualTo("/api/users/7?x=1");
            var outcome = h.nextOutcome();
            assertThat(outcome.route()).isEqualTo("_unrouted");
            assertThat(outcome.backend()).isEqualTo("monolith");
        }
    }

    @Test
    void aRouteInTheMonolithStageIsStillAnsweredByTheMonolith() throws Exception {
        try (var h = new GatewayHarness(List.of(posts(Stage.MONOLITH)))) {
            assertThat(h.get("/api/posts/1").headers().firstValue("X-Served-By")).hasValue("monolith");
            var outcome = h.nextOutcome();
            assertThat(outcome.route()).isEqualTo("posts-read");
            assertThat(outcome.stage()).isEqualTo(Stage.MONOLITH);
            assertThat(h.service.received).isEmpty();
        }
    }

    @Test
    void liveAndRetiredRoutesAreAnsweredByTheService() throws Exception {
        for (Stage stage : List.of(Stage.LIVE, Stage.RETIRED)) {
            try (var h = new GatewayHarness(List.of(posts(stage)))) {
                HttpResponse<String> r = h.get("/api/posts/1/comments");
                assertThat(r.headers().firstValue("X-Served-By")).as(stage.name()).hasValue("posts");
                assertThat(h.service.next().uri()).isEqualTo("/api/posts/1/comments");
                assertThat(h.monolith.received).isEmpty();
            }
        }
    }

    @Test
    void theMostSpecificRouteWinsAndMethodsAreRespected() throws Exception {
        Route all = posts(Stage.MONOLITH);
        Route one = Route.of("post-one", RouteMatch.path("/api/posts/{id}").withMethods("GET"), "posts").withStage(Stage.LIVE);
        try (var h = new GatewayHarness(List.of(all, one))) {
            assertThat(h.get("/api/posts/9").headers().firstValue("X-Served-By")).hasValue("posts");
            assertThat(h.send("DELETE", "/api/posts/9", "").headers().firstValue("X-Served-By")).hasValue("monolith");
            assertThat(h.get("/api/posts/9/comments").headers().firstValue("X-Served-By")).hasValue("monolith");
        }
    }

    @Test
    void aCanaryAtZeroOrOneHundredPercentSendsEveryoneToOneSide() throws Exception {
        Route zero = posts(Stage.CANARY).withCanary(0, new StickyKey.Header("X-User-Id"));
        try (var h = new GatewayHarness(List.of(zero))) {
            for (int i = 0; i < 50; i++)
                assertThat(h.get("/api/posts", "X-User-Id", "u" + i).headers().firstValue("X-Served-By")).hasValue("monolith");
        }
        Route all = posts(Stage.CANARY).withCanary(100, new StickyKey.Header("X-User-Id"));
        try (var h = new GatewayHarness(List.of(all))) {
            for (int i = 0; i < 50; i++)
                assertThat(h.get("/api/posts", "X-User-Id", "u" + i).headers().firstValue("X-Served-By")).hasValue("posts");
        }
    }

    @Test
    void aLiveSafeRequestFallsBackToTheMonolithWhenTheServiceIsDown() throws Exception {
        try (var h = new GatewayHarness(List.of(posts(Stage.LIVE)))) {
            h.service.close();
            HttpResponse<String> r = h.get("/api/posts/3");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("monolith");
            var outcome = h.nextOutcome();
            assertThat(outcome.fellBack()).isTrue();
            assertThat(outcome.backend()).isEqualTo("monolith");
        }
    }

    @Test
    void aLiveWriteIsNotRetriedOnTheMonolithUnlessTheRouteAllowsIt() throws Exception {
        try (var h = new GatewayHarness(List.of(posts(Stage.LIVE)))) {
            h.service.close();
            HttpResponse<String> r = h.send("POST", "/api/posts", "{\"title\":\"x\"}", "Content-Type", "application/json");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(h.monolith.received).isEmpty();
        }
        try (var h = new GatewayHarness(List.of(posts(Stage.LIVE).withFallback(FallbackPolicy.ALL)))) {
            h.service.close();
            HttpResponse<String> r = h.send("POST", "/api/posts", "{\"title\":\"x\"}", "Content-Type", "application/json");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("monolith");
            assertThat(h.monolith.next().bodyBytes()).isEqualTo(13);
        }
    }

    @Test
    void aLiveSafeRequestFallsBackWhenTheServiceTimesOutBeforeAnswering() throws Exception {
        try (var h = new GatewayHarness(List.of(Route.of("held", RouteMatch.path("/hold/**"), "posts").withStage(Stage.LIVE)),
                GatewayHarness.serviceTimeout(java.time.Duration.ofMillis(300)))) {
            h.monolith.release("never"); // the monolith answers at once; only the service hangs
            HttpResponse<String> r = h.get("/hold/never");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("monolith");
            assertThat(h.service.next().uri()).isEqualTo("/hold/never");
        }
    }

    @Test
    void aRetiredRouteHasNoFallbackAndAnswers502WithAProblemBody() throws Exception {
        try (var h = new GatewayHarness(List.of(posts(Stage.RETIRED)))) {
            h.service.close();
            HttpResponse<String> r = h.get("/api/posts/3", "X-Request-Id", "req-123");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(r.headers().firstValue("X-Request-Id")).hasValue("req-123");
            assertThat(r.body()).contains("\"status\":502", "\"route\":\"posts-read\"", "\"backend\":\"posts\"",
                    "\"requestId\":\"req-123\"");
            assertThat(h.monolith.received).isEmpty();
        }
    }

    @Test
    void aRetiredRouteWhoseServiceTimesOutAnswers504WithAProblemBody() throws Exception {
        try (var h = new GatewayHarness(List.of(Route.of("held", RouteMatch.path("/hold/**"), "posts").withStage(Stage.RETIRED)),
                GatewayHarness.serviceTimeout(java.time.Duration.ofMillis(300)))) {
            HttpResponse<String> r = h.get("/hold/forever");
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("\"status\":504", "\"route\":\"held\"", "\"backend\":\"posts\"", "\"requestId\":\"");
            assertThat(h.nextOutcome().error()).isEqualTo("response-timeout");
        }
    }

    @Test
    void aPathWithDotSegmentsIsRefusedAndNeverForwarded() throws Exception {
        try (var h = new GatewayHarness(List.of(posts(Stage.LIVE)))) {
            var socket = new java.net.Socket("127.0.0.1", h.gateway.port());
            socket.getOutputStream().write("GET /api/posts/../admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
            String answer = new String(socket.getInputStream().readAllBytes());
            socket.close();
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(h.monolith.received).isEmpty();
            assertThat(h.service.received).isEmpty();
        }
    }
}
