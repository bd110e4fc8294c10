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
import java.util.Optional;
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
    /** The same gateway config served over TLS (ALPN chooses h2). */
    private static Gateway tlsGateway;
    private static TestCertificate certificate;
    private static final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The path of the request that upgrades a connection to h2c. */
    private static final String UPGRADE_PATH = "/upgrade";

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        monolith = ByteLoggingBackend.start();
        GatewayConfig config = GatewayConfig.of(Backend.of(Backend.MONOLITH, monolith.url()), Map.of(), List.of());
        gateway = Gateway.start(vertx, config, new Decider(new Random(7)), outcomes::add, 1)
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        certificate = TestCertificate.create();
        tlsGateway = Gateway.start(vertx, config.withTls(Optional.of(certificate.tlsFiles())), new Decider(new Random(7)), outcomes::add, 1)
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        tlsGateway.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        monolith.close();
    }

    /** What happened to one stream: its {@code :status}, or that it was reset. */
    private record StreamEnd(String status, boolean reset) {}

    /**
     * A minimal HTTP/2 client over a raw socket: h2c with prior knowledge ({@link #priorKnowledge}), TLS
     * with ALPN {@code h2} ({@link #overTls}) or h2c after an HTTP/1.1 upgrade ({@link #upgradedFrom}).
     */
    private static final class RawH2 implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final DataInputStream in;

        private RawH2(int port) throws IOException {
            this(new Socket("127.0.0.1", port));
        }

        private RawH2(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
        }

        /** Sends the connection preface: the magic and an empty SETTINGS (RFC 9113 §3.4). */
        private RawH2 preface() throws IOException {
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            frame(4, 0, 0, new byte[0]); // SETTINGS
            return this;
        }

        static RawH2 priorKnowledge(int port) throws IOException {
            return new RawH2(port).preface();
        }

        /** Over TLS, offering only {@code h2} by ALPN; fails unless the server chose it. */
        static RawH2 overTls(int port, javax.net.ssl.SSLContext context) throws IOException {
            javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
            javax.net.ssl.SSLParameters parameters = tls.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(10_000);
            tls.startHandshake();
            assertThat(tls.getApplicationProtocol()).as("the protocol ALPN chose").isEqualTo("h2");
            return new RawH2(tls).preface();
        }

        /**
         * h2c by upgrade (RFC 7540 §3.2): a {@code GET path} over HTTP/1.1 asks for it, the server
         * answers {@code 101} and then that request's response on stream 1 over HTTP/2.
         */
        static RawH2 upgradedFrom(int port, String path) throws IOException {
            RawH2 h2 = new RawH2(port);
            // HTTP2-Settings: an empty SETTINGS payload, base64url-encoded, is empty.
            h2.out.write(("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: \r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            h2.out.flush();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) head.write(h2.in.readUnsignedByte());
            assertThat(head.toString(StandardCharsets.US_ASCII)).as("the answer to the upgrade").startsWith("HTTP/1.1 101 ");
            return h2.preface();
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
        try (RawH2 h2 = RawH2.priorKnowledge(gateway.port())) {
            StreamEnd bad = sendMalformed(h2, 1, "http", name, value);
            assertThat(bad.reset() || bad.status().equals("400")).as("%s: answered %s", why, bad).isTrue();

            h2.request(3, ":method", "GET", ":scheme", "http", ":path", "/after", ":authority", "a");
            assertThat(h2.awaitEnd(3)).as("%s: the next request on the same connection", why).isEqualTo(new StreamEnd("200", false));
            assertTheRefusalWasLoggedAndCounted(why, bad);
        }
        assertOnlyThoseWereForwarded(before, receivedBefore, why, "/after").doesNotContain("/bad", "x-injected");
    }

    /** Sends on {@code stream} a {@code GET /bad} with {@code name: value} (or that {@code :path}, none when empty); returns how it ended. */
    private static StreamEnd sendMalformed(RawH2 h2, int stream, String scheme, String name, String value) throws Exception {
        String path = name.equals(":path") ? value : "/bad";
        if (name.equals(":path") && path.isEmpty()) h2.request(stream, ":method", "GET", ":scheme", scheme, ":authority", "a");
        else if (name.equals(":path")) h2.request(stream, ":method", "GET", ":scheme", scheme, ":path", path, ":authority", "a");
        else h2.request(stream, ":method", "GET", ":scheme", scheme, ":path", path, ":authority", "a", name, value);
        return h2.awaitEnd(stream);
    }

    /** The ways besides prior knowledge that a client reaches HTTP/2 on the gateway (README: h2c and TLS). */
    enum Transport { TLS_WITH_ALPN_H2, H2C_UPGRADED_FROM_HTTP11 }

    /** The malformed streams the codec (or Vert.x) resets rather than answering 400, on each of the other transports. */
    static List<Arguments> resetStreamsOverTheOtherTransports() {
        List<Arguments> cases = new java.util.ArrayList<>();
        for (Transport transport : Transport.values()) {
            cases.add(Arguments.of(transport, "an upper-case header name", "X-A", "v"));
            cases.add(Arguments.of(transport, "an unknown pseudo-header", ":foo", "v"));
            cases.add(Arguments.of(transport, "a connection-specific header", "connection", "keep-alive"));
            cases.add(Arguments.of(transport, "no :path", ":path", ""));
        }
        return cases;
    }

    /**
     * The reset stream is logged and counted however the connection came to speak HTTP/2: over TLS
     * (ALPN {@code h2}) and after an {@code Upgrade: h2c}, whose upgrading request is stream 1.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("resetStreamsOverTheOtherTransports")
    void aStreamResetBeforeItBecameARequestIsLoggedAndCountedOverTlsAndAfterAnH2cUpgradeToo(
            Transport transport, String malformed, String name, String value) throws Exception {
        String why = transport + ", " + malformed;
        int before = monolith.answered();
        String receivedBefore = monolith.allReceived();
        boolean upgrade = transport == Transport.H2C_UPGRADED_FROM_HTTP11;
        String scheme = upgrade ? "http" : "https";
        try (RawH2 h2 = upgrade ? RawH2.upgradedFrom(gateway.port(), UPGRADE_PATH)
                : RawH2.overTls(tlsGateway.port(), certificate.trustingContext())) {
            if (upgrade) assertThat(h2.awaitEnd(1)).as("%s: the upgrading request", why).isEqualTo(new StreamEnd("200", false));
            int stream = upgrade ? 3 : 1;
            StreamEnd bad = sendMalformed(h2, stream, scheme, name, value);
            assertThat(bad).as("%s: answered %s", why, bad).isEqualTo(new StreamEnd("", true));

            h2.request(stream + 2, ":method", "GET", ":scheme", scheme, ":path", "/after", ":authority", "a");
            assertThat(h2.awaitEnd(stream + 2)).as("%s: the next request on the same connection", why)
                    .isEqualTo(new StreamEnd("200", false));
            assertTheRefusalWasLoggedAndCounted(why, bad);
        }
        String[] forwarded = upgrade ? new String[] {UPGRADE_PATH, "/after"} : new String[] {"/after"};
        assertOnlyThoseWereForwarded(before, receivedBefore, why, forwarded).doesNotContain("/bad");
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
            if (!o.path().equals("/after") && !o.path().equals(UPGRADE_PATH)) refused = o;
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
        try (RawH2 h2 = RawH2.priorKnowledge(gateway.port())) {
            h2.request(1, ":method", "OPTIONS", ":scheme", "http", ":path", "*", ":authority", "a");
            assertThat(h2.awaitEnd(1)).as("OPTIONS *").isEqualTo(new StreamEnd("200", false));
            h2.request(3, ":method", "GET", ":scheme", "http", ":path", "*", ":authority", "a");
            StreamEnd get = h2.awaitEnd(3);
            assertThat(get.reset() || get.status().equals("400")).as("GET *: answered %s", get).isTrue();

            h2.request(5, ":method", "GET", ":scheme", "http", ":path", "/after", ":authority", "a");
            assertThat(h2.awaitEnd(5)).as("the next request on the same connection").isEqualTo(new StreamEnd("200", false));
        }
        assertOnlyThoseWereForwarded(before, receivedBefore, "OPTIONS * and GET *", "/after").doesNotContain("OPTIONS", "GET *");
    }

    /**
     * Waits for the monolith's answers to a {@code GET} of each of {@code paths} and checks that they are
     * the requests forwarded since, in that order; returns what it received.
     */
    private static org.assertj.core.api.AbstractStringAssert<?> assertOnlyThoseWereForwarded(int before, String receivedBefore,
            String why, String... paths) throws Exception {
        monolith.awaitAnswered(before + paths.length, Duration.ofSeconds(5));
        String forwarded = monolith.allReceived().substring(receivedBefore.length());
        String[] heads = forwarded.split(" HTTP/1.1\r\n", -1);
        assertThat(heads).as("%s: %s requests forwarded", why, paths.length).hasSize(paths.length + 1);
        for (int i = 0; i < paths.length; i++)
            assertThat(heads[i]).as("%s: what the monolith received", why).endsWith("GET " + paths[i]);
        Eventually.eventually(Duration.ofSeconds(5), () -> assertThat(gateway.inFlight() + tlsGateway.inFlight())
                .as("in flight after %s", why).isZero());
        return assertThat(forwarded).as("%s: what the monolith received", why);
    }
}
