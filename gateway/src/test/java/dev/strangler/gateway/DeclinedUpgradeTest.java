package dev.strangler.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.gateway.observe.ShadowComparison;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebSocket handshake the backend declines: it answers with a plain response instead of a
 * {@code 101} (RFC 9110 §7.8 lets a server ignore {@code Upgrade} and stay on HTTP/1.1). The client
 * gets that answer whole, its connection carries its next requests, and the route's later requests
 * to that backend, on new client connections and on the same one, more of them than the backend's
 * connection pool holds, are all answered at once. The backend connection the handshake went on is
 * closed once the answer is relayed, never reused. Before the fix each declined handshake kept its
 * backend connection (and its pool slot) for good ({@code Tunnel.closeDeclined} says why), and once
 * the pool was used up every later request to that backend over Vert.x's client failed waiting for
 * a connection (a 502 after the connect timeout). An answer ended by the backend's close freed its
 * connection that way, so those two cases passed before too.
 */
class DeclinedUpgradeTest {
    /** The backends' pool: small, so a few declined handshakes more than use it up. */
    private static final int POOL = 2;
    private static final int ROUNDS = POOL + 2;
    private static final String REFUSAL = "no websocket";
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n");

    /** How a backend says no to the handshake, as written on the wire; its body reads {@link #REFUSAL}. */
    enum Decline {
        OK_WITH_A_LENGTH("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n" + REFUSAL),
        OK_CHUNKED("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nno \r\n9\r\nwebsocket\r\n0\r\n\r\n"),
        UPGRADE_REQUIRED("HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Content-Length: 12\r\n\r\n" + REFUSAL),
        BAD_REQUEST("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n" + REFUSAL),
        NOT_FOUND_CHUNKED("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\nc\r\n" + REFUSAL + "\r\n0\r\n\r\n"),
        /** No length: the body ends when the backend closes the connection. */
        OK_UNTIL_CLOSE("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + REFUSAL);

        final String response;

        Decline(String response) {
            this.response = response;
        }

        String statusLine() {
            return response.substring(0, response.indexOf("\r\n"));
        }

        int status() {
            return Integer.parseInt(statusLine().substring(9, 12));
        }

        boolean closes() {
            return this == OK_UNTIL_CLOSE;
        }
    }

    static List<Arguments> declines() {
        List<Arguments> all = new ArrayList<>();
        for (Decline d : Decline.values()) for (BackendClient client : BackendClient.values()) all.add(Arguments.of(d, client));
        return all;
    }

    private static String handshake(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: shop\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nX-Request-Id: " + idOf(path) + "\r\n\r\n";
    }

    private static String idOf(String path) {
        return "req" + path.replace('/', '-');
    }

    /**
     * A backend that declines every handshake with {@code decline} and answers every other request
     * (after its body) with {@code 200 ok}, on kept-alive connections.
     */
    private static ScriptedBackend.Script declining(Decline decline) {
        return c -> {
            while (true) {
                String head = c.readHead();
                if (head.toLowerCase(Locale.ROOT).contains("\r\nupgrade: websocket\r\n")) {
                    c.write(decline.response);
                    if (decline.closes()) {
                        c.close();
                        return;
                    }
                    continue;
                }
                Matcher length = CONTENT_LENGTH.matcher(head);
                c.readBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
                c.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
            }
        };
    }

    /** {@code c} with every backend's pool cut to {@link #POOL} connections per endpoint. */
    private static GatewayConfig withSmallPools(GatewayConfig c) {
        Map<String, Backend> services = new java.util.HashMap<>();
        c.services().forEach((name, b) -> services.put(name, smallPool(b)));
        return new GatewayConfig(c.source(), c.listen(), c.tls(), c.admin(), c.storeUrl(), smallPool(c.monolith()), services,
                c.routes(), c.accessLog(), c.drainTimeout(), c.controllerInterval(), c.catalog(), c.client(), c.debugHeaders());
    }

    private static Backend smallPool(Backend b) {
        return new Backend(b.name(), b.urls(), b.connectTimeout(), b.responseTimeout(), POOL, b.trustedCertificate(), b.outlier());
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("declines")
    void aDeclinedHandshakeIsRelayedWholeAndTheRoutesLaterRequestsAreAllAnswered(Decline decline, BackendClient client) throws Exception {
        try (var backend = ScriptedBackend.start(declining(decline));
             var g = client.start(() -> GatewayInFront.of(backend.url(), backend.url(), List.of(), DeclinedUpgradeTest::withSmallPools))) {
            for (int round = 0; round < ROUNDS; round++) {
                try (Socket user = g.connect()) {
                    write(user, handshake("/chat/" + round));
                    Answer declined = Answer.read(user);
                    assertThat(declined.statusLine()).isEqualTo(decline.statusLine());
                    assertThat(declined.body()).isEqualTo(REFUSAL);
                    assertThat(declined.head().toLowerCase(Locale.ROOT)).as("the upgrade pair is hop by hop")
                            .doesNotContain("\r\nupgrade:").doesNotContain("\r\nconnection:");

                    assertPlainRequestsAreAnswered(user, "/after/" + round);
                }
            }
            for (int i = 0; i < 2 * POOL; i++) {
                try (Socket other = g.connect()) {
                    assertPlainRequestsAreAnswered(other, "/fresh/" + i);
                }
            }

            List<ScriptedBackend.Conversation> handshakes = backend.conversations().stream()
                    .filter(c -> c.received().contains("upgrade: websocket")).toList();
            assertThat(handshakes).as("a connection takes one handshake at most").hasSize(ROUNDS);
            for (ScriptedBackend.Conversation c : handshakes) {
                assertThat(c.awaitPeerClosed(Duration.ofSeconds(5))).as("a connection whose handshake was declined is closed").isTrue();
                // A kept-alive connection may carry the handshake after plain requests, never anything after it.
                String fromHandshake = c.received().substring(c.received().indexOf("GET /chat/"));
                assertThat(fromHandshake).as("the handshake's head, and nothing after it")
                        .endsWith("\r\n\r\n").containsOnlyOnce(" HTTP/1.1\r\n")
                        .contains("\r\nupgrade: websocket\r\nconnection: Upgrade\r\n", "\r\nSec-WebSocket-Key: ");
            }

            Outcome outcome = outcomeOf(g, "/chat/0");
            assertThat(outcome.status()).isEqualTo(decline.status());
            assertThat(outcome.failure()).isEmpty();
            JsonNode line = new ObjectMapper().readTree(CapturedLog.accessLogLineOf(outcome));
            assertThat(line.get("status").asInt()).isEqualTo(decline.status());
            assertThat(line.has("error")).as("a declined handshake is the backend's answer, not a failure").isFalse();
        }
    }

    /**
     * In {@code shadow} the monolith takes the handshake (no copy is made of it); the route's later
     * requests are still copied to the service, with the noise check's second copy to the monolith,
     * and every copy is answered and compared.
     */
    @ParameterizedTest(name = "over {0}")
    @EnumSource(BackendClient.class)
    void inShadowAHandshakeTheMonolithDeclinesLeavesTheRoutesCopiesAnswered(BackendClient client) throws Exception {
        Route shadow = Route.of("chat", RouteMatch.path("/api/**"), "posts").withStage(Stage.SHADOW)
                .withShadow(new ShadowSettings(true, 64 * 1024, 8, List.of(), true, false));
        try (var monolith = ScriptedBackend.start(declining(Decline.UPGRADE_REQUIRED));
             var service = ScriptedBackend.start(declining(Decline.UPGRADE_REQUIRED));
             var g = client.start(() -> GatewayInFront.of(monolith.url(), service.url(), List.of(shadow), DeclinedUpgradeTest::withSmallPools))) {
            for (int round = 0; round < ROUNDS; round++) {
                try (Socket user = g.connect()) {
                    write(user, handshake("/api/chat/" + round));
                    assertThat(Answer.read(user)).isEqualTo(new Answer("HTTP/1.1 426 Upgrade Required", null, REFUSAL));

                    assertPlainRequestsAreAnswered(user, "/api/posts/" + round);
                    for (int copy = 0; copy < 2; copy++) {
                        assertThat(g.nextShadowResult()).as("the copies of the GET and the POST are compared")
                                .isInstanceOf(ShadowComparison.class);
                    }
                }
            }
            assertThat(service.allReceived()).as("the handshake is never copied").doesNotContain("/api/chat/");
        }
    }

    /**
     * An upgrade request with a body (none of WebSocket's, but Java's HttpClient offers {@code h2c} on a
     * POST it sends over a reused HTTP/1.1 connection) is no tunnel: a tunnel's handshake goes to the
     * backend as a head alone, so a backend that reads the announced body first never answered (a 504
     * after the response timeout). It goes as a plain request, its body included, without the upgrade.
     */
    @ParameterizedTest(name = "over {0}")
    @EnumSource(BackendClient.class)
    void anUpgradeRequestWithABodyReachesTheBackendAsAPlainRequestWithItsBody(BackendClient client) throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answeringAfterTheBody("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"));
             var g = client.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket user = g.connect()) {
            write(user, "POST /chat HTTP/1.1\r\nHost: shop\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Content-Length: 5\r\nX-Request-Id: with-body\r\n\r\nhello");
            assertThat(Answer.read(user)).isEqualTo(new Answer("HTTP/1.1 200 OK", null, "ok"));
            assertPlainRequestsAreAnswered(user, "/after");

            String received = backend.conversation(0).received();
            assertThat(received).startsWith("POST /chat HTTP/1.1\r\n").contains("\r\nContent-Length: 5\r\n")
                    .contains("\r\nX-Request-Id: with-body\r\n");
            String first = received.substring(0, received.indexOf("\r\n\r\n") + 4);
            assertThat(first.toLowerCase(Locale.ROOT)).as("the upgrade is hop by hop")
                    .doesNotContain("\r\nupgrade:").doesNotContain("\r\nconnection:");
            assertThat(received.substring(first.length())).startsWith("hello");
        }
    }

    /** A GET (the lean client's, when it is on) and a POST with a body (always Vert.x's client) on {@code user}. */
    private static void assertPlainRequestsAreAnswered(Socket user, String path) throws IOException {
        write(user, "GET " + path + " HTTP/1.1\r\nHost: shop\r\n\r\n");
        assertThat(Answer.read(user)).isEqualTo(new Answer("HTTP/1.1 200 OK", null, "ok"));
        write(user, "POST " + path + " HTTP/1.1\r\nHost: shop\r\nContent-Length: 4\r\n\r\nbody");
        assertThat(Answer.read(user)).isEqualTo(new Answer("HTTP/1.1 200 OK", null, "ok"));
    }

    /** The outcome of the request for {@code path}, skipping the others'. */
    private static Outcome outcomeOf(GatewayInFront g, String path) throws InterruptedException {
        while (true) {
            Outcome o = g.outcomes.poll(10, TimeUnit.SECONDS);
            if (o == null) throw new AssertionError("no outcome for " + path);
            if (o.path().equals(path)) return o;
        }
    }

    /**
     * A response as a client reads it: the status line, the head, and the body decoded from its
     * framing (a length, chunks, or the connection's end). Equal when status and body are (the head is not compared).
     */
    private record Answer(String statusLine, String head, String body) {
        static Answer read(Socket s) throws IOException {
            String head = readHead(s);
            String statusLine = head.substring(0, head.indexOf("\r\n"));
            Matcher length = CONTENT_LENGTH.matcher(head);
            String body;
            if (length.find()) body = GatewayInFront.readBytes(s, Integer.parseInt(length.group(1)));
            else if (head.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked\r\n")) body = readChunks(s.getInputStream());
            else body = GatewayInFront.readToClose(s, Duration.ofSeconds(10));
            return new Answer(statusLine, head, body);
        }

        private static String readChunks(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!line(in).isEmpty()) { } // trailers, then the blank line
                    return body.toString(StandardCharsets.ISO_8859_1);
                }
                body.write(in.readNBytes(size));
                line(in);
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) throw new IOException("closed mid-chunk after " + b);
                if (c == '\n' && b.length() > 0 && b.charAt(b.length() - 1) == '\r') return b.substring(0, b.length() - 1);
                b.append((char) c);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Answer a && a.statusLine.equals(statusLine) && a.body.equals(body);
        }

        @Override
        public int hashCode() {
            return statusLine.hashCode() * 31 + body.hashCode();
        }

        @Override
        public String toString() {
            return statusLine + " / " + body;
        }
    }
}
