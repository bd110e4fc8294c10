package dev.strangler.gateway;

import dev.strangler.core.rewrite.HeaderRules;
import dev.strangler.core.rewrite.HostHeader;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeadersAndRewritesTest {
    private static Route live(String name, String pattern) {
        return Route.of(name, RouteMatch.path(pattern), "posts").withStage(Stage.LIVE);
    }

    @Test
    void aTemplateRewriteMovesParametersIntoTheServicesLayoutAndKeepsTheQuery() throws Exception {
        try (var h = new GatewayHarness(List.of(live("users", "/api/v1/users/{id}").withRewrite("/users/{id}")))) {
            h.get("/api/v1/users/42?fields=name");
            assertThat(h.service.next().uri()).isEqualTo("/users/42?fields=name");
        }
    }

    @Test
    void aPrefixCanBeReplacedOrStrippedWhileTheRestIsCarriedOver() throws Exception {
        try (var h = new GatewayHarness(List.of(
                live("posts", "/api/posts/**").withRewrite("/posts/**"),
                live("legacy", "/legacy/**").withRewrite("/**")))) {
            h.get("/api/posts/7/comments");
            assertThat(h.service.next().uri()).isEqualTo("/posts/7/comments");
            h.get("/api/posts");
            assertThat(h.service.next().uri()).isEqualTo("/posts");
            h.get("/legacy/a/b?q=1");
            assertThat(h.service.next().uri()).isEqualTo("/a/b?q=1");
        }
    }

    @Test
    void requestHeadersAreSetAndRemovedOnTheWayToTheServiceOnly() throws Exception {
        Route route = live("posts", "/api/posts/**")
                .withRequestHeaders(new HeaderRules(Map.of("X-From", "strangler"), Set.of("Cookie")));
        try (var h = new GatewayHarness(List.of(route))) {
            h.get("/api/posts", "Cookie", "session=abc", "X-From", "client");
            var got = h.service.next();
            assertThat(got.headers()).containsEntry("X-From", "strangler").doesNotContainKey("Cookie");
            h.get("/api/users", "Cookie", "session=abc");
            assertThat(h.monolith.next().headers()).containsEntry("Cookie", "session=abc").doesNotContainKey("X-From");
        }
    }

    @Test
    void theServiceGetsTheClientsHostUnlessTheRouteAsksForItsOwn() throws Exception {
        try (var h = new GatewayHarness(List.of(live("keep", "/keep/**"),
                live("own", "/own/**").withHostHeader(HostHeader.SERVICE)))) {
            h.get("/keep/x");
            assertThat(h.service.next().headers().get("Host")).isEqualTo("127.0.0.1:" + h.gateway.port());
            h.get("/own/x");
            assertThat(h.service.next().headers().get("Host")).isEqualTo("127.0.0.1:" + h.service.port());
        }
    }

    @Test
    void forwardingHeadersTellTheBackendWhoAskedAndHow() throws Exception {
        try (var h = new GatewayHarness(List.of())) {
            h.get("/x", "X-Forwarded-For", "203.0.113.9");
            var got = h.monolith.next();
            assertThat(got.headers()).containsEntry("X-Forwarded-For", "203.0.113.9, 127.0.0.1")
                    .containsEntry("X-Forwarded-Proto", "http")
                    .containsEntry("X-Forwarded-Host", "127.0.0.1:" + h.gateway.port());
        }
    }

    @Test
    void hopByHopHeadersStayOnTheirHopInBothDirections() throws Exception {
        try (var h = new GatewayHarness(List.of())) {
            var socket = new java.net.Socket("127.0.0.1", h.gateway.port());
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /x HTTP/1.1\r\nHost: a\r\nConnection: close, X-Secret\r\nX-Secret: s\r\n"
                    + "Keep-Alive: timeout=5\r\nProxy-Authorization: Basic abc\r\nTE: trailers\r\n\r\n").getBytes());
            // Reading to the end also proves the gateway closes when "close" is one of several tokens.
            String answer = new String(socket.getInputStream().readAllBytes());
            socket.close();
            var got = h.monolith.next();
            assertThat(got.headers()).doesNotContainKeys("X-Secret", "Keep-Alive", "Proxy-Authorization", "TE");
            // The echo backend answers "Connection: keep-alive, X-Private" and "X-Private: hop".
            assertThat(answer.toLowerCase()).doesNotContain("x-private");
        }
    }

    @Test
    void aRequestIdIsGeneratedOrKeptAndReachesBothTheBackendAndTheClient() throws Exception {
        try (var h = new GatewayHarness(List.of())) {
            HttpResponse<String> kept = h.get("/x", "X-Request-Id", "abc-123");
            assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("abc-123");
            assertThat(h.monolith.next().headers()).containsEntry("X-Request-Id", "abc-123");

            HttpResponse<String> generated = h.get("/x");
            String id = generated.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(h.monolith.next().headers()).containsEntry("X-Request-Id", id);
            assertThat(h.nextOutcome().requestId()).isEqualTo("abc-123");
            assertThat(h.nextOutcome().requestId()).isEqualTo(id);
        }
    }

    @Test
    void theW3cTraceparentIsPassedOnUnchanged() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        try (var h = new GatewayHarness(List.of(live("posts", "/api/posts/**")))) {
            h.get("/api/posts", "traceparent", traceparent, "tracestate", "vendor=1");
            assertThat(h.service.next().headers()).containsEntry("traceparent", traceparent).containsEntry("tracestate", "vendor=1");
        }
    }

    @Test
    void statusAndBodyOfTheBackendReachTheClient() throws Exception {
        try (var h = new GatewayHarness(List.of())) {
            assertThat(h.get("/status/418").statusCode()).isEqualTo(418);
            HttpResponse<String> r = h.send("PUT", "/echo", "hello");
            assertThat(r.body()).contains("\"method\":\"PUT\"", "\"bodyBytes\":5");
        }
    }
}
