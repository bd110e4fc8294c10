package dev.strangler.gateway;

import dev.strangler.gateway.MonolithServlet.BodyEnd;
import dev.strangler.gateway.MonolithServlet.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of a servlet monolith on embedded Tomcat, the backend most of our users
 * migrate from. Each case asserts what Tomcat's servlet received ({@link MonolithServlet}'s record:
 * method, request URI as Tomcat saw it, headers, body and whether its read completed), not only what
 * the client got. Bodiless requests are run over both backend clients ({@link BackendClient}); a
 * request with a body always takes Vert.x's client, so those run once. Encoded paths and routing
 * are in {@link ServletPathsTest}, a cold or stopped Tomcat in {@link ServletBackendOutageTest}.
 */
class ServletBackendTest {
    private static TomcatBackend tomcat;
    private static final Map<BackendClient, GatewayInFront> GATEWAYS = new EnumMap<>(BackendClient.class);

    @BeforeAll
    static void start() throws Exception {
        tomcat = TomcatBackend.start();
        for (BackendClient client : BackendClient.values())
            GATEWAYS.put(client, client.start(() -> GatewayInFront.of(tomcat.url(), List.of())));
    }

    @AfterAll
    static void stop() throws Exception {
        for (GatewayInFront g : GATEWAYS.values()) g.close();
        tomcat.close();
    }

    @BeforeEach
    void forget() {
        tomcat.forget();
    }

    /** One request a test sends and what it expects back, and whether Tomcat's servlet records it. */
    private record Ask(String method, String target, String extraHeaders, int status, boolean reachesServlet) {
        String request() {
            return method + " " + target + " HTTP/1.1\r\nHost: shop\r\n" + extraHeaders + "\r\n";
        }
    }

    @ParameterizedTest
    @EnumSource(BackendClient.class)
    void bodilessRequestsReachTomcatAsBareHeadsWithTargetsByteForByteOnOneKeptAliveConnection(BackendClient backendClient)
            throws Exception {
        List<Ask> round = List.of(
                new Ask("GET", "/app/api/orders/7", "", 200, true),
                new Ask("HEAD", "/app/api/orders/7", "", 200, true),
                new Ask("GET", "/app/api/orders/7", "If-None-Match: \"order-7-v1\"\r\n", 304, true),
                new Ask("DELETE", "/app/api/orders/7", "", 204, true),
                new Ask("GET", "/app/api/orders/-1", "", 404, true),
                new Ask("GET", "/app/api/orders/abc", "", 400, true),
                new Ask("GET", "/app/api/v2/orders/7?expand=items&q=a%20b%2Fc&q=%C3%A9&empty=&=x&plus=1+2", "", 200, true),
                new Ask("PATCH", "/app/api/orders/7", "", 405, true),
                new Ask("GET", "/app/not-mapped", "", 404, false));
        List<Ask> sent = new ArrayList<>();
        try (Socket client = GATEWAYS.get(backendClient).connect()) {
            InputStream in = RawResponse.reader(client);
            for (int i = 0; i < 5; i++) {
                for (Ask ask : round) {
                    write(client, ask.request());
                    RawResponse r = RawResponse.read(in, ask.method().equals("HEAD"));
                    assertThat(r.status()).as(ask.request()).isEqualTo(ask.status());
                    if (ask.reachesServlet()) sent.add(ask);
                    if (ask.status() == 404 || ask.status() == 400 || ask.status() == 405)
                        assertThat(r.bodyText()).as("Tomcat's own error page").contains("HTTP Status " + ask.status());
                }
            }
        }
        List<Received> received = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) received.add(tomcat.nextReceived());
        for (int i = 0; i < sent.size(); i++) {
            Ask ask = sent.get(i);
            Received r = received.get(i);
            String[] target = ask.target().split("\\?", 2);
            assertThat(r.method()).as(ask.request()).isEqualTo(ask.method());
            assertThat(r.requestUri()).as(ask.request()).isEqualTo(target[0]);
            assertThat(r.query()).as("the query as sent, byte for byte").isEqualTo(Optional.ofNullable(target.length > 1 ? target[1] : null));
            assertThat(r.header("Transfer-Encoding")).as(r.toString()).isEmpty();
            assertThat(r.header("Content-Length")).as(r.toString()).isEmpty();
            assertThat(r.header("Host")).isEqualTo(List.of("shop"));
            assertThat(r.body()).isEmpty();
            assertThat(r.bodyEnd()).isEqualTo(BodyEnd.COMPLETE);
        }
        // Tomcat closes its connection after a 400 (it sends Connection: close); every other answer
        // leaves it open, and the gateway's next request must reuse it.
        for (int i = 1; i < sent.size(); i++) {
            if (sent.get(i - 1).status() != 400)
                assertThat(received.get(i).remotePort()).as("the Tomcat connection of " + received.get(i - 1) + " reused for "
                        + received.get(i)).isEqualTo(received.get(i - 1).remotePort());
        }
    }

    /** RFC 9110 §7.6.1: what the client's {@code Connection} names is for the gateway only; the end-to-end rest goes on. */
    @ParameterizedTest
    @EnumSource(BackendClient.class)
    void tomcatGetsTheEndToEndHeadersAndTheForwardedOnesButNoHopByHopOnes(BackendClient backendClient) throws Exception {
        try (Socket client = GATEWAYS.get(backendClient).connect()) {
            write(client, "GET /app/api/orders/7 HTTP/1.1\r\nHost: shop\r\nConnection: keep-alive, X-Hop\r\nX-Hop: secret\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nAccept: application/json\r\nCookie: JSESSIONID=ABC123\r\n"
                    + "X-Request-Id: tomcat-headers-1\r\n\r\n");
            assertThat(RawResponse.read(RawResponse.reader(client), false).status()).isEqualTo(200);
        }
        Received r = tomcat.nextReceived();
        assertThat(r.header("X-Hop")).as(r.toString()).isEmpty();
        assertThat(r.header("Keep-Alive")).isEmpty();
        assertThat(r.header("TE")).isEmpty();
        assertThat(r.header("Accept")).containsExactly("application/json");
        assertThat(r.sessionId()).contains("ABC123");
        assertThat(r.header("X-Request-Id")).containsExactly("tomcat-headers-1");
        assertThat(r.header("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(r.header("X-Forwarded-Proto")).containsExactly("http");
        assertThat(r.header("X-Forwarded-Host")).containsExactly("shop");
    }

    @ParameterizedTest
    @EnumSource(BackendClient.class)
    void aHeadIsAnsweredWithTheLengthOfTheGetAndNoBody(BackendClient backendClient) throws Exception {
        try (Socket client = GATEWAYS.get(backendClient).connect()) {
            InputStream in = RawResponse.reader(client);
            write(client, "GET /app/api/orders/12 HTTP/1.1\r\nHost: shop\r\n\r\n");
            RawResponse get = RawResponse.read(in, false);
            write(client, "HEAD /app/api/orders/12 HTTP/1.1\r\nHost: shop\r\n\r\n");
            RawResponse head = RawResponse.read(in, true);
            // the next response starts right after the HEAD's head: a body there would be read as its status line
            write(client, "GET /app/api/orders/13 HTTP/1.1\r\nHost: shop\r\n\r\n");
            RawResponse after = RawResponse.read(in, false);

            assertThat(get.bodyText()).startsWith("{\"id\":12,").contains("\"updatedAt\":\"");
            assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length"));
            assertThat(head.header("ETag")).contains("\"order-12-v1\"");
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.bodyText()).startsWith("{\"id\":13,");
        }
        assertThat(List.of(tomcat.nextReceived().method(), tomcat.nextReceived().method(), tomcat.nextReceived().method()))
                .containsExactly("GET", "HEAD", "GET");
    }

    @ParameterizedTest
    @EnumSource(BackendClient.class)
    void aLargeStreamedExportReachesTheClientByteForByte(BackendClient backendClient) throws Exception {
        int size = 8 * 1024 * 1024 + 7;
        try (Socket client = GATEWAYS.get(backendClient).connect()) {
            InputStream in = RawResponse.reader(client);
            write(client, "GET /app/api/export?bytes=" + size + " HTTP/1.1\r\nHost: shop\r\n\r\n");
            RawResponse r = RawResponse.read(in, false);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).contains("chunked");
            assertThat(r.body()).hasSize(size);
            for (int i = 0; i < size; i++) {
                if (r.body()[i] != MonolithServlet.exportByte(i)) throw new AssertionError("byte " + i + " differs");
            }
        }
        assertThat(tomcat.nextReceived().query()).contains("bytes=" + size);
    }

    @Test
    void uploadsWithAContentLengthOrChunkedArriveWholeAndFramedAsSent() throws Exception {
        byte[] large = new byte[256 * 1024];
        for (int i = 0; i < large.length; i++) large[i] = (byte) (i * 31);
        try (Socket client = GATEWAYS.get(BackendClient.LEAN).connect()) {
            InputStream in = RawResponse.reader(client);
            client.getOutputStream().write(("POST /app/api/orders HTTP/1.1\r\nHost: shop\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + large.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().write(large);
            RawResponse created = RawResponse.read(in, false);
            write(client, "PUT /app/api/orders/7 HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3\r\n1, \r\n7\r\n\"b\":2}\n\r\n0\r\n\r\n");
            RawResponse updated = RawResponse.read(in, false);

            assertThat(created.status()).isEqualTo(201);
            assertThat(created.bodyText()).contains("\"bytes\":" + large.length, "\"createdAt\":\"");
            assertThat(updated.status()).isEqualTo(200);
            assertThat(updated.bodyText()).contains("\"bytes\":15");
        }
        Received post = tomcat.nextReceived();
        assertThat(post.bodyEnd()).isEqualTo(BodyEnd.COMPLETE);
        assertThat(post.body()).isEqualTo(large);
        assertThat(post.header("Content-Length")).containsExactly(String.valueOf(large.length));
        assertThat(post.header("Transfer-Encoding")).isEmpty();
        Received put = tomcat.nextReceived();
        assertThat(put.bodyEnd()).isEqualTo(BodyEnd.COMPLETE);
        assertThat(put.bodyText()).isEqualTo("{\"a\":1, \"b\":2}\n");
        assertThat(put.header("Transfer-Encoding")).containsExactly("chunked");
        assertThat(put.header("Content-Length")).isEmpty();
    }

    @Test
    void anUploadShortOfItsContentLengthFailsTheServletsReadInsteadOfArrivingComplete() throws Exception {
        Socket client = GATEWAYS.get(BackendClient.LEAN).connect();
        write(client, "POST /app/api/orders HTTP/1.1\r\nHost: shop\r\nContent-Length: 100\r\n\r\n0123456789");
        assertThat(tomcat.awaitArrival()).isEqualTo("/app/api/orders");
        client.close();

        Received r = tomcat.nextReceived();
        assertThat(r.bodyEnd()).as(r.toString()).isEqualTo(BodyEnd.FAILED);
        assertThat(r.body().length).isLessThan(100);
        assertOrdersStillAnswered();
    }

    @Test
    void aChunkedUploadResetByTheClientFailsTheServletsReadInsteadOfArrivingComplete() throws Exception {
        Socket client = GATEWAYS.get(BackendClient.LEAN).connect();
        write(client, "PUT /app/api/orders/7 HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        assertThat(tomcat.awaitArrival()).isEqualTo("/app/api/orders/7");
        client.setSoLinger(true, 0);
        client.close(); // RST

        Received r = tomcat.nextReceived();
        assertThat(r.bodyEnd()).as(r.toString()).isEqualTo(BodyEnd.FAILED);
        assertThat(r.bodyText()).isIn("", "hello");
        assertOrdersStillAnswered();
    }

    /**
     * A servlet that refuses an upload before reading it: Tomcat sends the 403 at once and reads
     * (swallows) the rest of a small body to keep its connection, or closes its connection rather
     * than swallow more than {@code maxSwallowSize} (2 MB). Either way the client must get Tomcat's
     * 403 (RFC 9112 §9.5: a client sending a body watches for an early error response) rather than a 502.
     */
    @ParameterizedTest
    @ValueSource(ints = {1024, 4 * 1024 * 1024})
    void anUploadTomcatRefusesBeforeReadingItGetsTomcatsAnswer(int size) throws Exception {
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) 'x');
        try (Socket client = GATEWAYS.get(BackendClient.LEAN).connect()) {
            InputStream in = RawResponse.reader(client);
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    client.getOutputStream().write(("PUT /app/api/orders/locked HTTP/1.1\r\nHost: shop\r\nContent-Length: " + size
                            + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    client.getOutputStream().write(body);
                } catch (java.io.IOException e) {
                    // the gateway may stop reading once the answer is sent: not what this test judges
                }
            });
            RawResponse r = RawResponse.read(in, false);
            assertThat(r.status()).as(r.head()).isEqualTo(403);
            assertThat(r.bodyText()).contains("HTTP Status 403", "order is locked");
            sender.join(10_000);
        }
        Received refused = tomcat.nextReceived();
        assertThat(refused.bodyEnd()).isEqualTo(BodyEnd.UNREAD);
        assertThat(refused.header("Content-Length")).containsExactly(String.valueOf(size));
        assertOrdersStillAnswered();
    }

    @Test
    void anUploadThatWaitsForContinueIsToldToGoOnByTomcatAndArrivesWhole() throws Exception {
        try (Socket client = GATEWAYS.get(BackendClient.LEAN).connect()) {
            InputStream in = RawResponse.reader(client);
            write(client, "POST /app/api/orders HTTP/1.1\r\nHost: shop\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
            // nothing more is sent until the 100 comes, so it must come from Tomcat through the gateway
            assertThat(RawResponse.readHead(in)).startsWith("HTTP/1.1 100 ");
            write(client, "hello world");
            RawResponse r = RawResponse.read(in, false);
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.bodyText()).contains("\"bytes\":11");
        }
        Received r = tomcat.nextReceived();
        assertThat(r.header("Expect")).containsExactly("100-continue");
        assertThat(r.bodyText()).isEqualTo("hello world");
        assertThat(r.bodyEnd()).isEqualTo(BodyEnd.COMPLETE);
    }

    @Test
    void anUploadThatSendsItsBodyWithoutWaitingForContinueArrivesWhole() throws Exception {
        try (Socket client = GATEWAYS.get(BackendClient.LEAN).connect()) {
            InputStream in = RawResponse.reader(client);
            write(client, "POST /app/api/orders HTTP/1.1\r\nHost: shop\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\nhello world");
            RawResponse r = RawResponse.read(in, false);
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.interimHeads()).allMatch(h -> h.startsWith("HTTP/1.1 100 "));
            write(client, "GET /app/api/orders/3 HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(RawResponse.read(in, false).bodyText()).startsWith("{\"id\":3,");
        }
        Received r = tomcat.nextReceived();
        assertThat(r.bodyText()).isEqualTo("hello world");
        assertThat(r.bodyEnd()).isEqualTo(BodyEnd.COMPLETE);
        assertThat(tomcat.nextReceived().requestUri()).isEqualTo("/app/api/orders/3");
    }

    /**
     * A WebSocket handshake to a Tomcat without WebSocket support is answered as a plain GET: the
     * servlet's 200 (with a length, or chunked), its 400 page or Tomcat's own 404. The client gets that answer and
     * the connection goes on as HTTP (no 101, so no tunnel), on the client's side and at Tomcat.
     */
    @ParameterizedTest
    @EnumSource(BackendClient.class)
    void aWebSocketUpgradeToAPlainServletGetsItsAnswerAndTheRouteKeepsWorking(BackendClient backendClient) throws Exception {
        String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
        GatewayInFront g = GATEWAYS.get(backendClient);
        int id = 20;
        Map<String, Integer> answers = Map.of("/app/api/orders/5", 200, "/app/api/export?bytes=100000", 200, "/app/chat", 404,
                "/app/api/orders/abc", 400); // Tomcat closes its connection after a 400
        for (String target : answers.keySet().stream().sorted().toList()) {
            try (Socket client = g.connect()) {
                InputStream in = RawResponse.reader(client);
                write(client, "GET " + target + " HTTP/1.1\r\nHost: shop\r\n" + upgrade + "\r\n");
                RawResponse declined = RawResponse.read(in, false);
                assertThat(declined.status()).as(target + " answered as a plain GET").isEqualTo(answers.get(target));

                write(client, "GET /app/api/orders/" + id + " HTTP/1.1\r\nHost: shop\r\n\r\n");
                assertThat(RawResponse.read(in, false).bodyText()).as("after " + target).startsWith("{\"id\":" + id + ",");
            }
            try (Socket next = g.connect()) {
                write(next, "GET /app/api/orders/" + (id + 1) + " HTTP/1.1\r\nHost: shop\r\n\r\n");
                assertThat(RawResponse.read(RawResponse.reader(next), false).bodyText()).startsWith("{\"id\":" + (id + 1) + ",");
            }
            if (!target.equals("/app/chat")) {
                Received handshake = tomcat.nextReceived();
                assertThat(handshake.header("Upgrade")).containsExactly("websocket");
                assertThat(handshake.header("Sec-WebSocket-Key")).containsExactly("dGhlIHNhbXBsZSBub25jZQ==");
            }
            assertThat(tomcat.nextReceived().requestUri()).isEqualTo("/app/api/orders/" + id);
            assertThat(tomcat.nextReceived().requestUri()).isEqualTo("/app/api/orders/" + (id + 1));
            id += 2;
        }
    }

    /** After a broken upload the gateway and Tomcat still answer the next client. */
    private static void assertOrdersStillAnswered() throws Exception {
        try (Socket client = GATEWAYS.get(BackendClient.LEAN).connect()) {
            write(client, "POST /app/api/orders HTTP/1.1\r\nHost: shop\r\nContent-Length: 2\r\n\r\nok");
            assertThat(RawResponse.read(RawResponse.reader(client), false).status()).isEqualTo(201);
        }
        Received after = tomcat.nextReceived();
        assertThat(after.bodyText()).isEqualTo("ok");
        assertThat(after.bodyEnd()).isEqualTo(BodyEnd.COMPLETE);
    }
}
