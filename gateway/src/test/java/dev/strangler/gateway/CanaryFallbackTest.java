package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.FallbackPolicy;
import dev.strangler.core.stage.StickyKey;
import dev.strangler.gateway.observe.Failure;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.gateway.observe.ProxyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 items 3 and 6 (data plane): a canary user sent to a service that cannot be connected to
 * is answered by the monolith under the route's fallback rule, like in {@code live}, and the failure
 * still counts against the service — in the outcome the controller reads and in the metrics.
 */
class CanaryFallbackTest {
    private static Route canaryForEveryone(FallbackPolicy policy) {
        return Route.of("posts-read", RouteMatch.path("/api/posts/**"), "posts")
                .withCanary(100, new StickyKey.Header("X-User-Id")).withFallback(policy);
    }

    @Test
    void aCanarySafeRequestToADeadServiceIsAnsweredByTheMonolithAndCountedAgainstTheService() throws Exception {
        try (var h = new GatewayHarness(List.of(canaryForEveryone(FallbackPolicy.SAFE)))) {
            h.service.close();
            HttpResponse<String> r = h.get("/api/posts/3", "X-User-Id", "u1");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("monolith");
            assertThat(h.monolith.next().uri()).isEqualTo("/api/posts/3");
            Outcome outcome = h.nextOutcome();
            assertThat(outcome.backend()).isEqualTo("monolith");
            assertThat(outcome.fallback()).contains(new Outcome.BackendFailure("posts", Failure.CONNECT_REFUSED));
            assertThat(outcome.serviceFailedHard()).isTrue();
            assertThat(outcome.failure()).isEmpty();

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new ProxyMetrics(registry).onComplete(outcome);
            assertThat(registry.get("strangler_backend_failures").tag("route", "posts-read").tag("backend", "posts")
                    .tag("failure", "connect-refused").counter().count()).isEqualTo(1);
            assertThat(registry.get("strangler_proxy_fallbacks").tag("route", "posts-read").counter().count()).isEqualTo(1);
            assertThat(registry.get("strangler_proxy_requests").tag("backend", "monolith").tag("status", "2xx").counter().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void aCanaryWriteIsNotRetriedOnTheMonolithUnlessTheRouteAllowsIt() throws Exception {
        try (var h = new GatewayHarness(List.of(canaryForEveryone(FallbackPolicy.SAFE)))) {
            h.service.close();
            HttpResponse<String> r = h.send("POST", "/api/posts", "{\"t\":1}", "X-User-Id", "u1");

            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("the service posts could not be reached");
            assertThat(h.monolith.received).isEmpty();
            Outcome outcome = h.nextOutcome();
            assertThat(outcome.failure()).contains(Failure.CONNECT_REFUSED);
            assertThat(outcome.serviceFailedHard()).isTrue();
        }
        try (var h = new GatewayHarness(List.of(canaryForEveryone(FallbackPolicy.ALL)))) {
            h.service.close();
            HttpResponse<String> r = h.send("POST", "/api/posts", "{\"t\":1}", "X-User-Id", "u1");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(h.monolith.next().bodyBytes()).isEqualTo(7);
            assertThat(h.nextOutcome().fellBack()).isTrue();
        }
    }

    @Test
    void aClientThatGoesAwayIsNeverCountedAgainstTheService() {
        Outcome aborted = new Outcome("r", "POST", "/api/posts", "posts-read", dev.strangler.core.stage.Stage.CANARY, "posts",
                0, 1, 0, 0, java.util.Optional.empty(), java.util.Optional.of(Failure.CLIENT_ABORTED));
        Outcome reset = new Outcome("r", "GET", "/api/posts", "posts-read", dev.strangler.core.stage.Stage.CANARY, "posts",
                502, 1, 0, 0, java.util.Optional.empty(), java.util.Optional.of(Failure.RESET_BY_BACKEND));
        Outcome monolithDown = new Outcome("r", "GET", "/api/posts", "posts-read", dev.strangler.core.stage.Stage.CANARY,
                "monolith", 502, 1, 0, 0, java.util.Optional.empty(), java.util.Optional.of(Failure.CONNECT_REFUSED));

        assertThat(aborted.serviceFailedHard()).isFalse();
        assertThat(reset.serviceFailedHard()).isTrue();
        assertThat(monolithDown.serviceFailedHard()).isFalse();
    }

    /**
     * On the wire: a canary user who hangs up while the service is still thinking. The service's
     * request is reset, the outcome says the client left, and the monolith is not asked in its place
     * (before, the reset was taken for the service's fault: a 502, a hard failure, and a fallback).
     */
    @Test
    void aCanaryClientThatHangsUpBeforeTheServiceAnswersIsNotRetriedOnTheMonolithNorCountedAgainstTheService()
            throws Exception {
        try (var service = ScriptedBackend.start(c -> { }); // takes the request and never answers
             var monolith = ScriptedBackend.start(ScriptedBackend.answering("monolith"));
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(canaryForEveryone(FallbackPolicy.SAFE)), c -> c)) {
            try (java.net.Socket client = g.connect()) {
                GatewayInFront.write(client, "GET /api/posts/3 HTTP/1.1\r\nHost: shop\r\nX-User-Id: u1\r\n\r\n");
                service.conversation(0).readHead();
            }
            Outcome outcome = g.nextOutcome();
            assertThat(outcome.failure()).contains(Failure.CLIENT_ABORTED);
            assertThat(outcome.fallback()).isEmpty();
            assertThat(outcome.serviceFailedHard()).isFalse();
            assertThat(service.conversation(0).awaitPeerClosed(java.time.Duration.ofSeconds(10)))
                    .as("the service's request is reset").isTrue();
            assertThat(monolith.conversations()).as("connections the monolith got").isEmpty();
        }
    }
}
