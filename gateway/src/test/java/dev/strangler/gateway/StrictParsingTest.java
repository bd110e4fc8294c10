package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Decider;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Outcome;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strict-parsing regression suite: one test per rule of "What Strangler refuses and why"
 * (README), each sending raw bytes over a socket and asserting three things — the status line the
 * client got, that the connection was closed, and what the backends (plain sockets that log every
 * byte, {@link ByteLoggingBackend}) received: nothing at all for a refused request.
 *
 * <p>"Nothing at all" is proven without sleeping: after the refused request's connection closed, a
 * well-formed canary request is sent on a fresh connection and, once a backend answered it, the
 * backends must have received exactly the canary.
 */
class StrictParsingTest {
    private static final String CANARY = "GET /canary HTTP/1.1\r\nHost: canary\r\n\r\n";

    private static Vertx vertx;
    private static ByteLoggingBackend monolith;
    private static ByteLoggingBackend service;
    private static Gateway gateway;
    private static final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        monolith = ByteLoggingBackend.start();
        service = ByteLoggingBackend.start();
        GatewayConfig config = GatewayConfig.of(Backend.of(Backend.MONOLITH, monolith.url()),
                Map.of("posts", Backend.of("posts", service.url())),
                List.of(Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.LIVE).withRewrite("/posts/**"),
                        Route.of("other-host", RouteMatch.path("/h/**").withHost("other.example"), "posts").withStage(Stage.LIVE)));
        gateway = Gateway.start(vertx, config, new Decider(new Random(7)), outcomes::add, 2)
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        monolith.close();
        service.close();
    }

    /** What a client saw: everything the gateway sent until it closed (or until a pause), and whether it closed. */
    private record Seen(String text, boolean closed) {
        String statusLine() {
            int end = text.indexOf("\r\n");
            return end < 0 ? text : text.substring(0, end);
        }

        int responses() {
            int n = 0;
            for (int i = text.indexOf("HTTP/1."); i >= 0; i = text.indexOf("\r\n\r\nHTTP/1.", i + 1)) n++;
            return n;
        }
    }

    /** Sends raw bytes (one byte per char) and reads until the gateway closes the connection. */
    private static Seen send(String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) got.write(buf, 0, n);
                return new Seen(got.toString(StandardCharsets.ISO_8859_1), true);
            } catch (SocketTimeoutException e) {
                return new Seen(got.toString(StandardCharsets.ISO_8859_1), false);
            } catch (SocketException e) { // reset by the gateway: closed too
                return new Seen(got.toString(StandardCharsets.ISO_8859_1), true);
            }
        }
    }

    /** Sends one well-formed request on a fresh connection and waits until a backend answered it. */
    private static void sendCanaryAndAwaitIt() throws Exception {
        int before = monolith.answered();
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(CANARY.getBytes(StandardCharsets.ISO_8859_1));
            byte[] buf = new byte[4096];
            int n = s.getInputStream().read(buf);
            assertThat(new String(buf, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        }
        monolith.awaitAnswered(before + 1, Duration.ofSeconds(5));
    }

    /** The bytes both backends received while {@code action} ran, read once a canary request went through after it. */
    private static String forwardedDuring(ThrowingRunnable action) throws Exception {
        int m = monolith.allReceived().length();
        int s = service.allReceived().length();
        action.run();
        sendCanaryAndAwaitIt();
        String toMonolith = monolith.allReceived().substring(m);
        String toService = service.allReceived().substring(s);
        // Drop the canary itself: it goes to the monolith, last.
        int canary = toMonolith.lastIndexOf("GET /canary HTTP/1.1\r\n");
        assertThat(canary).as("the canary reached the monolith").isGreaterThanOrEqualTo(0);
        outcomes.clear();
        return toMonolith.substring(0, canary) + toService;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Asserts the refusal rules: this status line, a problem body, the connection closed, nothing forwarded. */
    private static void assertRefused(String raw, String statusLine) throws Exception {
        Seen[] seen = new Seen[1];
        String forwarded = forwardedDuring(() -> seen[0] = send(raw));
        assertThat(seen[0].statusLine()).as("status line for %s", raw).isEqualTo(statusLine);
        assertThat(seen[0].text()).as("answer to %s", raw).contains("application/problem+json");
        assertThat(seen[0].responses()).as("one answer, for the refused request only").isEqualTo(1);
        assertThat(seen[0].closed()).as("the connection is closed after refusing %s", raw).isTrue();
        assertThat(forwarded).as("bytes the backends received for %s", raw).isEmpty();
        // The canary's exchange may still be finishing: only the refused request must never count.
        Eventually.eventually(Duration.ofSeconds(5),
                () -> assertThat(gateway.inFlight()).as("requests in flight after refusing %s", raw).isZero());
    }

    private static String forwardedFor(String raw) throws Exception {
        return forwardedDuring(() -> {
            Seen seen = send(raw + "GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(seen.statusLine()).as("answer to %s", raw).isEqualTo("HTTP/1.1 200 OK");
        });
    }

    // ---- Bodiless requests to a live route are sent without reading a body (the fast path) ----

    @Test
    void pipelinedBodilessRequestsToALiveRouteAreEachForwardedOnceAndAnsweredInOrder() throws Exception {
        Seen[] seen = new Seen[1];
        String forwarded = forwardedDuring(() -> seen[0] = send("GET /api/posts/1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /api/posts/2 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /api/posts/3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));

        // (Seen.responses() counts answers without a body; these have one.)
        assertThat(seen[0].text().split("HTTP/1.1 200 OK\r\n", -1)).as("three answers in %s", seen[0].text()).hasSize(4);
        assertThat(seen[0].closed()).as("closed after the request that asked for it").isTrue();
        assertThat(forwarded).containsSubsequence("GET /posts/1 ", "GET /posts/2 ", "GET /posts/3 ");
        assertThat(forwarded.split("GET /posts/", -1)).as("each forwarded once").hasSize(4);
        assertThat(forwarded).doesNotContainIgnoringCase("content-length").doesNotContainIgnoringCase("transfer-encoding");
    }

    // ---- Body framing (RFC 9112 §6): refused and closed, nothing forwarded ----

    @Test
    void contentLengthWithTransferEncodingIsRefusedAndTheSmuggledRequestNeverArrives() throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 400 Bad Request");
    }

    @Test
    void transferEncodingChunkedFollowedByIdentityIsNotImplemented() throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 501 Not Implemented");
    }

    @Test
    void twoTransferEncodingHeadersAreRefused() throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 400 Bad Request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xchunked", "gzip", "gzip, chunked", "identity"})
    void aTransferCodingOtherThanChunkedIsNotImplemented(String coding) throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + coding + "\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 501 Not Implemented");
    }

    @Test
    void anObsFoldedTransferEncodingIsRefused() throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", "HTTP/1.1 400 Bad Request");
    }

    @Test
    void transferEncodingInAnHttp10RequestIsRefused() throws Exception {
        assertRefused("POST /x HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "HTTP/1.1 400 Bad Request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 2\r\nContent-Length: 2", "Content-Length: 2\r\nContent-Length: 3"})
    void aRepeatedContentLengthIsRefusedEvenWithEqualValues(String lengths) throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: a\r\n" + lengths + "\r\n\r\nabc", "HTTP/1.1 400 Bad Request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+2", "2, 2", "0x2", "-1", "2 2"})
    void anInvalidContentLengthIsRefused(String length) throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: " + length + "\r\n\r\nab", "HTTP/1.1 400 Bad Request");
    }

    @ParameterizedTest
    @ValueSource(strings = {" 5", "+5", "5g", "0x5", "5\u00005", ""})
    void aChunkSizeThatIsNotJustHexDigitsIsRefused(String size) throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 400 Bad Request");
    }

    @Test
    void chunkDataNotEndedByCrLfIsRefused() throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n",
                "HTTP/1.1 400 Bad Request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /x HTTP/1.1\nHost: a\n\n", "GET /x HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", "GET /x HTTP/1.1\r\nHost: a\rX: y\r\n\r\n"})
    void aBareLfOrCrAsALineEndingIsRefused(String raw) throws Exception {
        assertRefused(raw, "HTTP/1.1 400 Bad Request");
    }

    @Test
    void wellFramedBodiesStillGoThroughByteForByteOnOneKeptConnection() throws Exception {
        String forwarded = forwardedFor("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n");
        assertThat(forwarded).contains("POST /a HTTP/1.1\r\n", "POST /b HTTP/1.1\r\n", "GET /last HTTP/1.1\r\n")
                .contains("hello").doesNotContain("ext=1\r\nhello\r\n0\r\nX-Trailer");
    }

    @Test
    void aBadChunkArrivingAfterTheHeadWasForwardedClosesTheClientConnection() throws Exception {
        int before = monolith.allReceived().length();
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("POST /late HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            Eventually.eventually(Duration.ofSeconds(5), () -> assertThat(monolith.allReceived().substring(before)).contains("POST /late HTTP/1.1"));
            s.getOutputStream().write(" 5\r\nworld\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            // The head is out: no answer can be given in order any more, so the connection is closed.
            // (Whether the backend then sees the upload aborted is the exchange's part: see Exchange.)
            assertThat(s.getInputStream().readAllBytes()).asString(StandardCharsets.ISO_8859_1).doesNotContain("HTTP/1.1 200");
        } catch (SocketException reset) {
            // closed with a reset: as good
        }
        outcomes.clear();
    }

    @Test
    void inOnePipelinedWriteTheRequestsBeforeARefusedOneAreServedAndOnlyItIsRefused() throws Exception {
        Seen[] seen = new Seen[1];
        String forwarded = forwardedDuring(() -> seen[0] = send(
                "GET /first HTTP/1.1\r\nHost: a\r\n\r\n"
                        + "GET /second HTTP/1.1\r\nHost: a\r\n\r\n"
                        + "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        // The guard's refusal belongs to the third request on the connection, not to the first two.
        assertThat(seen[0].statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(seen[0].text()).contains("\r\n\r\nokHTTP/1.1 200 OK\r\n", "\r\n\r\nokHTTP/1.1 400 Bad Request\r\n");
        assertThat(seen[0].closed()).isTrue();
        assertThat(forwarded).contains("GET /first HTTP/1.1\r\n", "GET /second HTTP/1.1\r\n").doesNotContain("POST /x", "refused.invalid");
    }

    @Test
    void aConnectionThatAskedToUpgradeButWasNotSwitchedIsStillReadStrictly() throws Exception {
        Seen[] seen = new Seen[1];
        String forwarded = forwardedDuring(() -> seen[0] = send(
                "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                        + "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                        + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertThat(seen[0].statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(seen[0].text()).contains("\r\n\r\nokHTTP/1.1 400 Bad Request\r\n");
        assertThat(seen[0].closed()).isTrue();
        assertThat(forwarded).startsWith("GET /ws HTTP/1.1\r\n").doesNotContain("POST /x", "/smuggled");
    }

    // ---- Request line and header fields ----

    @Test
    void http12IsAnsweredWith505OnAnHttp11StatusLineNeverEchoed() throws Exception {
        assertRefused("GET /x HTTP/1.2\r\nHost: a\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported");
    }

    @Test
    void anEmptyHeaderNameIsRefused() throws Exception {
        assertRefused("GET /x HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", "HTTP/1.1 400 Bad Request");
    }

    @Test
    void theGuardsOwnMarkerHeaderCannotBeSentByAClient() throws Exception {
        assertRefused("GET /x HTTP/1.1\r\nHost: a\r\nX-Strangler-Refused: 200 ok\r\n\r\n", "HTTP/1.1 400 Bad Request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ctl\u0001x", "/nul%00x", "/frag#x", "/a%zz", "/del\u007f"})
    void controlBytesNulAFragmentOrABadEscapeInTheTargetAreRefused(String target) throws Exception {
        assertRefused("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 400 Bad Request");
    }

    @Test
    void nonAsciiPathBytesReachTheBackendByteForByte() throws Exception {
        String forwarded = forwardedFor("GET /caf\u00c3\u00a9 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(forwarded).startsWith("GET /caf\u00c3\u00a9 HTTP/1.1\r\n"); // the bytes c3 a9, as sent
        assertRefused("GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 400 Bad Request"); // e9 alone is not UTF-8
    }

    // ---- Host (RFC 9112 §3.2) ----

    @ParameterizedTest
    @ValueSource(strings = {"", "Host: \r\n", "Host: a\r\nHost: b\r\n", "Host: a b\r\n", "Host: a:99999\r\n", "Host: a:x\r\n", "Host: a/b\r\n"})
    void anHttp11RequestWithoutExactlyOneValidHostIsRefused(String hostLines) throws Exception {
        assertRefused("GET /x HTTP/1.1\r\n" + hostLines + "\r\n", "HTTP/1.1 400 Bad Request");
    }

    @Test
    void inAbsoluteFormTheTargetsAuthorityDecidesHostRoutingAndReplacesHost() throws Exception {
        String forwarded = forwardedFor("GET http://other.example/h/1 HTTP/1.1\r\nHost: a\r\n\r\n");
        String toService = forwarded.substring(forwarded.indexOf("GET /h/1 HTTP/1.1"));
        assertThat(toService).as("the route with host other.example took it").contains("\r\nhost: other.example\r\n")
                .doesNotContain("\r\nhost: a\r\n");
        assertThat(forwarded.indexOf("GET /h/1")).isGreaterThan(forwarded.indexOf("GET /last")); // to the service, listed last
    }

    /** The checked Host stands in for Vert.x's parse of it, so a port written with leading zeros must still go on as Vert.x reads it. */
    @Test
    void aHostPortWithLeadingZerosGoesOnAsItsNumber() throws Exception {
        String forwarded = forwardedFor("GET /z HTTP/1.1\r\nHost: shop.example:0080\r\n\r\n");
        String first = forwarded.substring(0, forwarded.indexOf("GET /last"));
        assertThat(first).contains("\r\nX-Forwarded-Host: shop.example:80\r\n", "\r\nhost: shop.example:80\r\n");
    }

    // ---- Paths: one normal form for matching and forwarding (items 4, 5) ----

    @Test
    void anEncodedUnreservedCharacterCannotBypassARoute() throws Exception {
        String forwarded = forwardedFor("GET /api/%70osts/1 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(forwarded).contains("GET /posts/1 HTTP/1.1\r\n").doesNotContain("%70");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/posts%2f1", "/api%2fposts/1", "/api%2Fposts/1", "/api/posts/..%2fsecret/key.txt", "/api/posts/..%5csecret",
            "/api/posts/%2e%2e/secret", "/api/posts\\..\\secret"})
    void anEncodedSlashBackslashOrDotSegmentIsRefusedRatherThanSentToTheMonolith(String path) throws Exception {
        assertRefused("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 400 Bad Request");
    }

    @Test
    void theNormalisedPathIsWhatTheServiceReceives() throws Exception {
        String forwarded = forwardedFor("GET /api//posts/%c3%a9/%7euser?q=%2f%2E HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(forwarded).contains("GET /posts/%C3%A9/~user?q=%2f%2E HTTP/1.1\r\n");
    }
}
