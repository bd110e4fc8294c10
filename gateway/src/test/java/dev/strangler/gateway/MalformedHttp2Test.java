package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.stage.Decider;
import dev.strangler.gateway.observe.Failure;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.gateway.observe.ProxyMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
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
 * Item 3: a malformed HTTP/2 request is answered 400 (or its stream reset, where Netty's codec
 * refuses it before a response is possible) and never takes a backend connection, never holds
 * {@code inFlight}, and never breaks the connection for the requests that follow. The client speaks
 * raw frames (HPACK literals) so it can send what no HTTP/2 library would.
 */
class MalformedHttp2Test {
    private static Vertx vertx;
    private static ByteLoggingBackend monolith;
    private static Gateway gateway;
    private static final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        monolith = ByteLoggingBackend.start();
        GatewayConfig config = GatewayConfig.of(Backend.of(Backend.MONOLITH, monolith.url()), Map.of(), List.of());
        gateway = Gateway.start(vertx, config, new Decider(new Random(7)), outcomes::add, 1)
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        monolith.close();
    }

    /** What happened to one stream: its {@code :status}, or that it was reset. */
    private record StreamEnd(String status, boolean reset) {}

    /** A minimal h2c (prior knowledge) client over a raw socket. */
    private static final class RawH2 implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final DataInputStream in;

        RawH2(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            frame(4, 0, 0, new byte[0]); // SETTINGS
        }

        /** HEADERS with END_STREAM, every field a literal (RFC 7541 §6.2.2), one byte per char. */
        void request(int stream, String... nameValues) throws IOException {
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            for (int i = 0; i < nameValues.length; i += 2) {
                block.write(0);
                literal(block, nameValues[i]);
                literal(block, nameValues[i + 1]);
            }
            frame(1, 0x5, stream, block.toByteArray());
        }

        private static void literal(ByteArrayOutputStream b, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
            if (bytes.length > 126) throw new IllegalArgumentException("too long for this client: " + s);
            b.write(bytes.length);
            b.writeBytes(bytes);
        }

        private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
            byte[] h = {(byte) (payload.length >> 16), (byte) (payload.length >> 8), (byte) payload.length, (byte) type, (byte) flags,
                    (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream};
            out.write(h);
            out.write(payload);
            out.flush();
        }

        /** Reads frames until {@code stream} gets its response headers or a reset. */
        StreamEnd awaitEnd(int stream) throws Exception {
            while (true) {
                byte[] h = new byte[9];
                in.readFully(h);
                int length = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
                int type = h[3];
                int flags = h[4];
                int id = ((h[5] & 0x7f) << 24) | ((h[6] & 0xff) << 16) | ((h[7] & 0xff) << 8) | (h[8] & 0xff);
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (type == 4 && (flags & 1) == 0) frame(4, 1, 0, new byte[0]); // ack their SETTINGS
                if (type == 7) throw new AssertionError("the gateway sent GOAWAY: the whole connection was given up");
                if (id != stream) continue;
                if (type == 3) return new StreamEnd("", true);
                if (type == 1) return new StreamEnd(status(payload, flags), false);
            }
        }

        /**
         * The {@code :status} of a response header block: servers send it first, as an indexed field of
         * HPACK's static table (8..14: 200, 204, 206, 304, 400, 404, 500) or a literal with an indexed name.
         */
        private static String status(byte[] block, int flags) {
            int i = ((flags & 0x8) != 0 ? 1 : 0) + ((flags & 0x20) != 0 ? 5 : 0); // PADDED length, PRIORITY fields
            while (i < block.length && (block[i] & 0xe0) == 0x20) i++; // dynamic table size updates
            int b = block[i] & 0xff;
            String[] statics = {"200", "204", "206", "304", "400", "404", "500"};
            if ((b & 0x80) != 0 && (b & 0x7f) >= 8 && (b & 0x7f) <= 14) return statics[(b & 0x7f) - 8];
            int nameIndex = (b & 0x40) != 0 ? b & 0x3f : b & 0x0f;
            int length = block[i + 1] & 0xff;
            if (nameIndex >= 8 && nameIndex <= 14 && (length & 0x80) == 0)
                return new String(block, i + 2, length, StandardCharsets.US_ASCII);
            return "undecoded:" + java.util.HexFormat.of().formatHex(block);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static List<Arguments> malformed() {
        return List.of(
                Arguments.of("a space in :path", ":path", "/a b"),
                Arguments.of("a fragment in :path", ":path", "/a#b"),
                Arguments.of("a dot segment in :path", ":path", "/a/../b"),
                Arguments.of("an encoded slash in :path", ":path", "/a%2fb"),
                Arguments.of("CR LF in a header value", "x-a", "v\r\nx-injected: 1"),
                Arguments.of("NUL in a header value", "x-a", "v\u0000w"),
                Arguments.of("an upper-case header name", "X-A", "v"),
                Arguments.of("an unknown pseudo-header", ":foo", "v"),
                Arguments.of("a connection-specific header", "connection", "keep-alive"),
                Arguments.of("no :path", ":path", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedRequestIsRefusedWithoutTouchingABackendAndTheConnectionStaysUsable(String why, String name, String value)
            throws Exception {
        int before = monolith.answered();
        String receivedBefore = monolith.allReceived();
        try (RawH2 h2 = new RawH2(gateway.port())) {
            String path = name.equals(":path") ? value : "/bad";
            if (name.equals(":path") && path.isEmpty()) h2.request(1, ":method", "GET", ":scheme", "http", ":authority", "a");
            else if (name.equals(":path")) h2.request(1, ":method", "GET", ":scheme", "http", ":path", path, ":authority", "a");
            else h2.request(1, ":method", "GET", ":scheme", "http", ":path", path, ":authority", "a", name, value);
            StreamEnd bad = h2.awaitEnd(1);
            assertThat(bad.reset() || bad.status().equals("400")).as("%s: answered %s", why, bad).isTrue();

            h2.request(3, ":method", "GET", ":scheme", "http", ":path", "/after", ":authority", "a");
            assertThat(h2.awaitEnd(3)).as("%s: the next request on the same connection", why).isEqualTo(new StreamEnd("200", false));
            assertTheRefusalWasLoggedAndCounted(why, bad);
        }
        assertOnlyAfterWasForwarded(before, receivedBefore, why).doesNotContain("/bad", "x-injected");
    }

    /**
     * README, "What Strangler refuses and why": a stream answered 400 is logged with the rule it broke;
     * one the codec reset before it became a request (Vert.x reports nothing of it) as
     * {@code malformed-h2-stream}, status 0, and counted as a refusal with no status.
     */
    private static void assertTheRefusalWasLoggedAndCounted(String why, StreamEnd bad) throws Exception {
        Outcome refused = null;
        while (refused == null) {
            Outcome o = outcomes.poll(10, TimeUnit.SECONDS);
            assertThat(o).as("%s: an outcome of the refused stream", why).isNotNull();
            if (!o.path().equals("/after")) refused = o;
        }
        JsonNode line = JSON.readTree(CapturedLog.accessLogLineOf(refused));
        assertThat(line.get("route").asText()).as("%s: %s", why, line).isEqualTo(Outcome.UNROUTED);
        assertThat(line.get("backend").asText()).isEqualTo("strangler");
        assertThat(refused.failure()).contains(Failure.BAD_REQUEST);
        if (bad.reset()) {
            assertThat(line.get("error").asText()).as("%s: %s", why, line).isEqualTo("malformed-h2-stream");
            assertThat(line.get("status").asInt()).isZero();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new ProxyMetrics(registry).onComplete(refused);
            assertThat(registry.get("strangler_proxy_requests").tag("route", Outcome.UNROUTED).tag("backend", "strangler")
                    .tag("status", "none").counter().count()).as("%s: counted", why).isEqualTo(1);
        } else {
            assertThat(line.get("status").asInt()).isEqualTo(400);
            assertThat(line.get("error").asText()).as("%s: %s", why, line).isNotEqualTo("malformed-h2-stream");
        }
    }

    /**
     * RFC 9113 §8.3.1: {@code :path} {@code *} on OPTIONS asks about the server in general; the gateway
     * answers it itself, as over HTTP/1.1. With another method {@code *} is refused (400 or a reset).
     */
    @Test
    void optionsAboutTheServerInGeneralIsAnsweredByTheGatewayAndAnAsteriskWithAnotherMethodIsRefused() throws Exception {
        int before = monolith.answered();
        String receivedBefore = monolith.allReceived();
        try (RawH2 h2 = new RawH2(gateway.port())) {
            h2.request(1, ":method", "OPTIONS", ":scheme", "http", ":path", "*", ":authority", "a");
            assertThat(h2.awaitEnd(1)).as("OPTIONS *").isEqualTo(new StreamEnd("200", false));
            h2.request(3, ":method", "GET", ":scheme", "http", ":path", "*", ":authority", "a");
            StreamEnd get = h2.awaitEnd(3);
            assertThat(get.reset() || get.status().equals("400")).as("GET *: answered %s", get).isTrue();

            h2.request(5, ":method", "GET", ":scheme", "http", ":path", "/after", ":authority", "a");
            assertThat(h2.awaitEnd(5)).as("the next request on the same connection").isEqualTo(new StreamEnd("200", false));
        }
        assertOnlyAfterWasForwarded(before, receivedBefore, "OPTIONS * and GET *").doesNotContain("OPTIONS", "GET *");
    }

    /** Waits for the monolith's answer to {@code GET /after} and checks that it is the one request forwarded since; returns what it received. */
    private static org.assertj.core.api.AbstractStringAssert<?> assertOnlyAfterWasForwarded(int before, String receivedBefore, String why)
            throws Exception {
        monolith.awaitAnswered(before + 1, Duration.ofSeconds(5));
        String forwarded = monolith.allReceived().substring(receivedBefore.length());
        assertThat(forwarded.split(" HTTP/1.1\r\n", -1)).as("%s: one request forwarded", why).hasSize(2);
        Eventually.eventually(Duration.ofSeconds(5), () -> assertThat(gateway.inFlight()).as("in flight after %s", why).isZero());
        return assertThat(forwarded).as("%s: what the monolith received", why).startsWith("GET /after HTTP/1.1\r\n");
    }
}
