package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.ShadowComparison;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shadow copy of a bodiless request goes over the lean backend client (issue 14): what the
 * service receives, byte for byte, and that every way the copy can end (compared, too large, timed
 * out, unreachable) is the one the Vert.x client's copy ended in, without the user waiting for it.
 * The backends are raw sockets ({@link ScriptedBackend}), so the wire is what is asserted. With the
 * path switched off ({@code -Dgateway.test.jvmArgs=-Dstrangler.lean-backend=false}) the same tests
 * check Vert.x's client, all but the one on the copies' own connections.
 */
class LeanShadowCopyTest {
    private static final String ANSWER = "{\"id\":1,\"title\":\"t\"}";

    private static Route shadow(int maxBodyBytes) {
        return Route.of("posts", RouteMatch.path("/api/**"), "posts").withStage(Stage.SHADOW)
                .withShadow(new ShadowSettings(false, maxBodyBytes, 8, List.of()));
    }

    /** A JSON answer of {@code length} bytes, with Content-Length. */
    private static String answer(int length) {
        String body = "\"" + "x".repeat(length - 2) + "\"";
        return "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + body.length() + "\r\n\r\n" + body;
    }

    /** The user's GET on {@code client}; returns the monolith's body as the user got it. */
    private static String get(Socket client, String path, String extraHeaders) throws Exception {
        write(client, "GET " + path + " HTTP/1.1\r\nHost: shop\r\n" + extraHeaders + "\r\n");
        String head = readHead(client);
        assertThat(head).startsWith("HTTP/1.1 200");
        int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        return readBytes(client, length);
    }

    @Test
    void aGetsCopyCarriesTheUsersEndToEndHeadMarkedOnceAsShadowAndItsAnswerIsCompared() throws Exception {
        try (var service = ScriptedBackend.start(ScriptedBackend.answering(ANSWER));
             var monolith = ScriptedBackend.start(ScriptedBackend.answering(ANSWER));
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(shadow(64 * 1024)), c -> c);
             Socket client = g.connect()) {
            for (String id : List.of("1", "2")) {
                assertThat(get(client, "/api/posts/" + id + "?x=" + id, "X-Request-Id: req-" + id + "\r\nAccept: */*\r\n"
                        + "Connection: keep-alive, X-Hop\r\nX-Hop: dropped\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
                        + "X-Strangler-Shadow: false\r\n")).isEqualTo(ANSWER);
                ShadowComparison compared = (ShadowComparison) g.nextShadowResult();
                assertThat(compared.result().matches()).isTrue();
                assertThat(compared.service().status()).isEqualTo(200);
                assertThat(new String(compared.service().body(), StandardCharsets.US_ASCII)).isEqualTo(ANSWER);
            }

            // both copies on one kept-alive connection, each a bare head (no framing), the mark its last line
            assertThat(service.conversations()).hasSize(1);
            String received = service.conversation(0).received();
            String[] heads = received.split("(?<=\r\n\r\n)");
            assertThat(heads).hasSize(2);
            assertThat(heads[0]).startsWith("GET /api/posts/1?x=1 HTTP/1.1\r\n").endsWith("\r\nX-Strangler-Shadow: true\r\n\r\n")
                    .containsIgnoringCase("\r\nhost: shop\r\n").containsIgnoringCase("\r\naccept: */*\r\n")
                    .containsIgnoringCase("\r\nx-request-id: req-1\r\n").containsIgnoringCase("\r\nx-forwarded-for: 127.0.0.1\r\n");
            assertThat(heads[1]).startsWith("GET /api/posts/2?x=2 HTTP/1.1\r\n").containsIgnoringCase("\r\nx-request-id: req-2\r\n");
            assertThat(received.toLowerCase().split("x-strangler-shadow", -1)).as("one mark per copy").hasSize(3);
            assertThat(received).doesNotContainIgnoringCase("x-hop").doesNotContainIgnoringCase("keep-alive")
                    .doesNotContainIgnoringCase("\r\nte:").doesNotContainIgnoringCase("\r\nconnection:")
                    .doesNotContainIgnoringCase("content-length").doesNotContainIgnoringCase("transfer-encoding");
            // the monolith's request is not marked
            assertThat(monolith.conversation(0).received()).doesNotContainIgnoringCase("x-strangler-shadow: true");
        }
    }

    @Test
    void anAnswerOfExactlyTheLimitIsComparedAndOneByteMoreIsDroppedOnAConnectionThatIsClosed() throws Exception {
        int limit = 1024;
        try (var service = ScriptedBackend.start(c -> {
            c.readHead();
            c.write(answer(limit));
            c.readHead();
            c.write(answer(limit + 1));
            c.awaitPeerClosed(Duration.ofSeconds(10));
        });
             var monolith = ScriptedBackend.start(ScriptedBackend.answering(ANSWER));
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(shadow(limit)), c -> c);
             Socket client = g.connect()) {
            assertThat(get(client, "/api/a", "")).isEqualTo(ANSWER);
            ShadowComparison compared = (ShadowComparison) g.nextShadowResult();
            assertThat(compared.service().body()).hasSize(limit);

            assertThat(get(client, "/api/b", "")).isEqualTo(ANSWER);
            assertThat(g.nextShadowResult()).isEqualTo(DropReason.BODY_TOO_LARGE);
            // never reused half-read: the next copy would read the rest of this answer as its own
            assertThat(service.conversation(0).awaitPeerClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aChunkedAnswerThatOutgrowsTheLimitChunkByChunkIsDroppedOnAConnectionThatIsClosed() throws Exception {
        String chunk = "x".repeat(600);
        try (var service = ScriptedBackend.start(c -> {
            c.readHead();
            c.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
            c.awaitPeerClosed(Duration.ofSeconds(10));
        });
             var monolith = ScriptedBackend.start(ScriptedBackend.answering(ANSWER));
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(shadow(1024)), c -> c);
             Socket client = g.connect()) {
            assertThat(get(client, "/api/a", "")).isEqualTo(ANSWER);
            assertThat(g.nextShadowResult()).isEqualTo(DropReason.BODY_TOO_LARGE);
            assertThat(service.conversation(0).awaitPeerClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void anInterimAnswerIsSkippedAndTheFinalOneCompared() throws Exception {
        try (var service = ScriptedBackend.start(c -> {
            c.readHead();
            c.write("HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\ncontent-length: " + ANSWER.length() + "\r\n\r\n" + ANSWER);
            c.awaitPeerClosed(Duration.ofSeconds(10));
        });
             var monolith = ScriptedBackend.start(ScriptedBackend.answering(ANSWER));
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(shadow(1024)), c -> c);
             Socket client = g.connect()) {
            assertThat(get(client, "/api/a", "")).isEqualTo(ANSWER);
            ShadowComparison compared = (ShadowComparison) g.nextShadowResult();
            assertThat(compared.service().status()).isEqualTo(200);
            assertThat(compared.result().matches()).isTrue();
        }
    }

    @Test
    void aSilentServiceIsACountedTimeoutThatTheUsersAnswerDoesNotWaitFor() throws Exception {
        try (var service = ScriptedBackend.start(c -> {
            c.readHead(); // and never answers
            c.awaitPeerClosed(Duration.ofSeconds(30));
        });
             var monolith = ScriptedBackend.start(ScriptedBackend.answering(ANSWER));
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(shadow(1024)),
                     c -> withService(c, c.service("posts").withResponseTimeout(Duration.ofSeconds(3))));
             Socket client = g.connect()) {
            assertThat(get(client, "/api/a", "")).isEqualTo(ANSWER);
            assertThat(g.outcomes.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
            // the user has the whole answer and the exchange is over while the copy still waits
            assertThat(g.shadowResults).as("the copy is still out when the user is answered").isEmpty();

            assertThat(g.nextShadowResult()).isEqualTo(DropReason.TIMEOUT);
            assertThat(service.conversation(0).awaitPeerClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aDeadServiceIsACountedDropAndThenLeftAloneForAMoment() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (var monolith = ScriptedBackend.start(ScriptedBackend.answering(ANSWER));
             var g = GatewayInFront.of(monolith.url(), "http://127.0.0.1:" + deadPort, List.of(shadow(1024)), c -> c);
             Socket client = g.connect()) {
            assertThat(get(client, "/api/a", "")).isEqualTo(ANSWER);
            assertThat(g.nextShadowResult()).isEqualTo(DropReason.SERVICE_FAILED);
            assertThat(get(client, "/api/b", "")).isEqualTo(ANSWER);
            assertThat(g.nextShadowResult()).isEqualTo(DropReason.SERVICE_DOWN);
        }
    }

    @Test
    void copiesHeldByASlowServiceLeaveItsConnectionsToTheUsersOfAnotherRoute() throws Exception {
        // Switched off, Vert.x's client carries both, each in a pool of its own (BackendClients.Client#copyHttp).
        Route live = Route.of("posts-live", RouteMatch.path("/live/**"), "posts").withStage(Stage.LIVE);
        try (var service = ScriptedBackend.start(c -> {
            while (true) {
                String head = c.readHead();
                if (head.startsWith("GET /api/")) c.awaitPeerClosed(Duration.ofSeconds(30)); // the copy is held
                c.write("HTTP/1.1 200 OK\r\ncontent-length: " + ANSWER.length() + "\r\n\r\n" + ANSWER);
            }
        });
             var monolith = ScriptedBackend.start(ScriptedBackend.answering(ANSWER));
             // one connection per event loop to the service, and a connect wait that ends in the test's time
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(live, shadow(1024)), c -> withService(c,
                     new Backend("posts", List.of(java.net.URI.create(service.url())), Duration.ofSeconds(2), Duration.ofSeconds(30),
                             1, java.util.Optional.empty())));
             Socket client = g.connect()) {
            assertThat(get(client, "/api/a", "")).isEqualTo(ANSWER);
            g.nextOutcome();
            service.conversation(0); // the copy holds the service's first connection

            assertThat(get(client, "/live/b", "")).isEqualTo(ANSWER);
            var outcome = g.nextOutcome();
            assertThat(outcome.backend()).isEqualTo("posts");
            assertThat(outcome.fallback()).as("the user's request found a connection at once").isEmpty();
        }
    }

    @Test
    void aCopyThatFindsEveryConnectionOfTheServiceHeldIsDroppedAtOnceAsQueueFullAndTheServiceIsNotPaused() throws Exception {
        // Switched off, Vert.x's client carries the copies in a pool of their own without a wait queue: the same drop.
        // Two shadow routes of one service: each within its own max-concurrent, together past the service's connections.
        Route orders = Route.of("orders", RouteMatch.path("/v2/**"), "posts").withStage(Stage.SHADOW)
                .withShadow(new ShadowSettings(false, 1024, 8, List.of()));
        try (var service = ScriptedBackend.start(c -> {
            c.readHead(); // the first copy is held: the service is slow, not down
            c.awaitPeerClosed(Duration.ofSeconds(30));
        });
             var monolith = ScriptedBackend.start(ScriptedBackend.answering(ANSWER));
             // one connection per event loop to the service, and a connect wait that would end in the test's time
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(shadow(1024), orders), c -> withService(c,
                     new Backend("posts", List.of(java.net.URI.create(service.url())), Duration.ofSeconds(2), Duration.ofSeconds(30),
                             1, java.util.Optional.empty())));
             Socket client = g.connect()) {
            assertThat(get(client, "/api/a", "")).isEqualTo(ANSWER);
            service.conversation(0); // the first route's copy holds the service's only connection

            assertThat(get(client, "/v2/orders/1", "")).isEqualTo(ANSWER);
            assertThat(g.nextShadowResult()).as("no connection free: dropped, not failed as unreachable after the connect timeout")
                    .isEqualTo(DropReason.QUEUE_FULL);
            assertThat(get(client, "/v2/orders/2", "")).isEqualTo(ANSWER);
            assertThat(g.nextShadowResult()).as("a busy service is not paused as if it refused connections")
                    .isEqualTo(DropReason.QUEUE_FULL);
            assertThat(g.shadowResults).as("the held copy is still out").isEmpty();
            assertThat(service.conversations()).as("the service saw only the connection it was allowed").hasSize(1);
        }
    }

    @Test
    void copiesWithABodyHeldByASlowServiceLeaveItsConnectionsToTheUsersAndTheNextCopyIsDroppedAtOnce() throws Exception {
        // A copy with a body goes over Vert.x's client (the lean one sends bodiless requests only), as do all copies to an https service.
        Route live = Route.of("posts-live", RouteMatch.path("/live/**"), "posts").withStage(Stage.LIVE);
        Route writes = Route.of("posts", RouteMatch.path("/api/**"), "posts").withStage(Stage.SHADOW)
                .withShadow(new ShadowSettings(true, 1024, 8, List.of(), false, false, List.of()));
        try (var service = ScriptedBackend.start(c -> {
            while (true) {
                String head = c.readHead();
                c.readBytes(Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1")));
                if (head.startsWith("POST /api/")) c.awaitPeerClosed(Duration.ofSeconds(30)); // the copy is held
                c.write("HTTP/1.1 200 OK\r\ncontent-length: " + ANSWER.length() + "\r\n\r\n" + ANSWER);
            }
        });
             var monolith = ScriptedBackend.start(c -> {
                 while (true) {
                     String head = c.readHead();
                     c.readBytes(Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1")));
                     c.write("HTTP/1.1 200 OK\r\ncontent-length: " + ANSWER.length() + "\r\n\r\n" + ANSWER);
                 }
             });
             // one connection per event loop to the service, and a connect wait that ends in the test's time
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(live, writes), c -> withService(c,
                     new Backend("posts", List.of(java.net.URI.create(service.url())), Duration.ofSeconds(2), Duration.ofSeconds(30),
                             1, java.util.Optional.empty())));
             Socket client = g.connect()) {
            assertThat(post(client, "/api/a")).isEqualTo(ANSWER);
            g.nextOutcome();
            service.conversation(0); // the copy holds the service's first connection

            assertThat(post(client, "/live/b")).isEqualTo(ANSWER);
            var outcome = g.nextOutcome();
            assertThat(outcome.backend()).isEqualTo("posts");
            assertThat(outcome.fallback()).as("the user's request found a connection at once").isEmpty();

            assertThat(post(client, "/api/c")).isEqualTo(ANSWER);
            assertThat(g.nextShadowResult()).as("every connection of the copies' pool held: dropped at once, the service not paused")
                    .isEqualTo(DropReason.QUEUE_FULL);
        }
    }

    @Test
    void aGetsCopyWhoseBodyStallsPastTheResponseTimeoutIsDroppedAsATimeoutAndItsConnectionClosed() throws Exception {
        // The lean client: a body delimited by the service's close, which stalls instead, is never compared as whole.
        try (var service = ScriptedBackend.start(c -> {
            c.readHead();
            c.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n\"par");
            c.awaitPeerClosed(Duration.ofSeconds(30));
        });
             var monolith = ScriptedBackend.start(ScriptedBackend.answering(ANSWER));
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(shadow(1024)), c -> withService(c,
                     c.service("posts").withResponseTimeout(Duration.ofMillis(300))));
             Socket client = g.connect()) {
            assertThat(get(client, "/api/a", "")).isEqualTo(ANSWER);
            assertThat(g.nextShadowResult()).isEqualTo(DropReason.TIMEOUT);
            assertThat(service.conversation(0).awaitPeerClosed(Duration.ofSeconds(5))).as("the stalled copy's connection is closed").isTrue();
        }
    }

    @Test
    void aCopyWithABodyWhoseAnswerStallsPastTheResponseTimeoutIsDroppedAsATimeoutAndItsConnectionClosed() throws Exception {
        // Vert.x's client, which times only the head by itself: the copy must not hold the copies' pool for ever.
        Route writes = Route.of("posts", RouteMatch.path("/api/**"), "posts").withStage(Stage.SHADOW)
                .withShadow(new ShadowSettings(true, 1024, 8, List.of(), false, false, List.of()));
        try (var service = ScriptedBackend.start(c -> {
            String head = c.readHead();
            c.readBytes(Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1")));
            c.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + ANSWER.length() + "\r\n\r\n"
                    + ANSWER.substring(0, 2));
            c.awaitPeerClosed(Duration.ofSeconds(30));
        });
             var monolith = ScriptedBackend.start(c -> {
                 while (true) {
                     String head = c.readHead();
                     c.readBytes(Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1")));
                     c.write("HTTP/1.1 200 OK\r\ncontent-length: " + ANSWER.length() + "\r\n\r\n" + ANSWER);
                 }
             });
             var g = GatewayInFront.of(monolith.url(), service.url(), List.of(writes), c -> withService(c,
                     c.service("posts").withResponseTimeout(Duration.ofMillis(300))));
             Socket client = g.connect()) {
            assertThat(post(client, "/api/a")).isEqualTo(ANSWER);
            assertThat(g.nextShadowResult()).isEqualTo(DropReason.TIMEOUT);
            assertThat(service.conversation(0).awaitPeerClosed(Duration.ofSeconds(5))).as("the stalled copy's connection is closed").isTrue();
        }
    }

    /** The user's POST of a small JSON body on {@code client}; returns the body of the 200 the user got. */
    private static String post(Socket client, String path) throws Exception {
        String body = "{\"x\":1}";
        write(client, "POST " + path + " HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body);
        String head = readHead(client);
        assertThat(head).startsWith("HTTP/1.1 200");
        int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        return readBytes(client, length);
    }

    private static GatewayConfig withService(GatewayConfig c, Backend service) {
        return new GatewayConfig(c.source(), c.listen(), c.tls(), c.admin(), c.storeUrl(), c.monolith(), Map.of(service.name(), service),
                c.routes(), c.accessLog(), c.drainTimeout(), c.controllerInterval(), c.catalog(), c.client(), c.debugHeaders());
    }
}
