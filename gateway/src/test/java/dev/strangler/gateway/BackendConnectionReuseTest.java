package dev.strangler.gateway;

import dev.strangler.gateway.observe.Failure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend connection the gateway cannot trust with a next request is closed, not kept alive, on
 * both backend clients (each case runs over the lean client and over Vert.x's): one that read bytes
 * beyond a whole response (reused, it would take them for the head of the next request's answer, a
 * 502), and one whose response the client went away from. The backends are raw sockets, so what
 * is asserted is what the wire carried: which connection the next request went on, and the close.
 */
class BackendConnectionReuseTest {
    private static final String NEXT_ANSWER = "HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nnext";

    /** A first request and its answer, followed in the same write by bytes no request asked for. */
    enum Stray {
        BODY_AFTER_A_HEAD_ANSWER("HEAD", "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n", ""),
        BODY_AFTER_A_NO_CONTENT("GET", "HTTP/1.1 204 No Content\r\n\r\n", ""),
        BODY_AFTER_A_NOT_MODIFIED("GET", "HTTP/1.1 304 Not Modified\r\ncontent-length: 5\r\n\r\n", ""),
        MORE_THAN_THE_CONTENT_LENGTH("GET", "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n", "ok");

        final String method;
        final String head;
        final String body;

        Stray(String method, String head, String body) {
            this.method = method;
            this.head = head;
            this.body = body;
        }

        String status() {
            return head.substring(0, head.indexOf("\r\n"));
        }
    }

    /** Answers {@code GET /next} with {@link #NEXT_ANSWER} and every other request with {@code answer}, in one write. */
    private static ScriptedBackend.Script answering(String answer) {
        return c -> {
            while (true) c.write(c.readHead().contains(" /next ") ? NEXT_ANSWER : answer);
        };
    }

    static List<Arguments> strayCases() {
        List<Arguments> all = new ArrayList<>();
        for (Stray s : Stray.values()) for (BackendClient client : BackendClient.values()) all.add(Arguments.of(s, client));
        return all;
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("strayCases")
    void bytesReadBeyondAWholeResponseCloseTheConnectionAndTheNextRequestGoesOnAFreshOne(Stray stray, BackendClient client) throws Exception {
        // one write: the answer and the stray bytes arrive together
        try (var backend = ScriptedBackend.start(answering(stray.head + stray.body + "stray bytes, not a response"));
             var g = client.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket user = g.connect()) {
            write(user, stray.method + " /first HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(user)).startsWith(stray.status());
            assertThat(readBytes(user, stray.body.length())).isEqualTo(stray.body);

            assertNextRequestIsAnsweredOnAFreshConnection(user, backend);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(BackendClient.class)
    void bytesABackendSendsOnAnIdleConnectionCloseIt(BackendClient client) throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        try (var backend = ScriptedBackend.start(c -> {
            if (c.readHead().contains(" /next ")) {
                c.write(NEXT_ANSWER);
                return;
            }
            c.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n");
            answered.await(10, TimeUnit.SECONDS);
            c.write("stray"); // a late body for the HEAD, read once the connection waits idle for its next request
        });
             var g = client.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket user = g.connect()) {
            write(user, "HEAD /first HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(user)).startsWith("HTTP/1.1 200");
            answered.countDown();
            assertThat(backend.conversation(0).awaitPeerClosed(Duration.ofSeconds(5))).as("the idle connection that read stray bytes is closed").isTrue();

            assertNextRequestIsAnsweredOnAFreshConnection(user, backend);
        }
    }

    private static void assertNextRequestIsAnsweredOnAFreshConnection(Socket user, ScriptedBackend backend) throws Exception {
        write(user, "GET /next HTTP/1.1\r\nHost: shop\r\n\r\n");
        assertThat(readHead(user)).startsWith("HTTP/1.1 200");
        assertThat(readBytes(user, 4)).isEqualTo("next");
        assertThat(backend.conversations()).as("the next request went on a new connection").hasSize(2);
        assertThat(backend.conversation(0).received()).doesNotContain("/next");
        assertThat(backend.conversation(1).received()).startsWith("GET /next HTTP/1.1\r\n");
        assertThat(backend.conversation(0).awaitPeerClosed(Duration.ofSeconds(5))).as("the connection with stray bytes is closed").isTrue();
    }

    static List<Arguments> closeAnnouncements() {
        List<String> lines = List.of("Connection: keep-alive, close\r\n", "Connection: keep-alive\r\nConnection: close\r\n",
                "Connection: Close , X-Hop\r\nX-Hop: secret\r\n");
        List<Arguments> all = new ArrayList<>();
        for (String line : lines) for (BackendClient client : BackendClient.values()) all.add(Arguments.of(line, client));
        return all;
    }

    /**
     * RFC 9112 §9.6: a client that reads {@code close} in a response's {@code Connection} list sends no
     * further request on that connection, wherever in the list and on whichever line it is (RFC 9110
     * §5.3, §7.6.1). Vert.x's client read only an exact first value. The backend here keeps the
     * connection open, so a next request sent on it would be seen.
     */
    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("closeAnnouncements")
    void aBackendThatListsCloseGetsNoFurtherRequestOnThatConnection(String connectionLines, BackendClient client) throws Exception {
        try (var backend = ScriptedBackend.start(answering("HTTP/1.1 200 OK\r\n" + connectionLines + "content-length: 2\r\n\r\nok"));
             var g = client.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket user = g.connect()) {
            write(user, "GET /first HTTP/1.1\r\nHost: shop\r\n\r\n");
            String head = readHead(user);
            assertThat(head).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("x-hop").doesNotContainIgnoringCase("connection: close");
            assertThat(readBytes(user, 2)).isEqualTo("ok");

            assertNextRequestIsAnsweredOnAFreshConnection(user, backend);
        }
    }

    /** Only the token {@code close} is a close: {@code clo} (a prefix of it) leaves the connection kept alive. */
    @ParameterizedTest(name = "over {0}")
    @EnumSource(BackendClient.class)
    void aConnectionTokenThatIsOnlyAPrefixOfCloseKeepsTheConnection(BackendClient client) throws Exception {
        try (var backend = ScriptedBackend.start(answering("HTTP/1.1 200 OK\r\nConnection: clo\r\ncontent-length: 2\r\n\r\nok"));
             var g = client.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket user = g.connect()) {
            write(user, "GET /first HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(user)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(user, 2)).isEqualTo("ok");
            write(user, "GET /next HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(user)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(user, 4)).isEqualTo("next");
            assertThat(backend.conversations()).as("the next request went on the same connection").hasSize(1);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(BackendClient.class)
    void aClientThatGoesAwayMidResponseGetsTheBackendConnectionClosed(BackendClient client) throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
            c.readHead();
            c.write("HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n0123456789");
            c.awaitPeerClosed(Duration.ofSeconds(10));
        });
             var g = client.start(() -> GatewayInFront.of(backend.url(), List.of()))) {
            try (Socket user = g.connect()) {
                write(user, "GET /big HTTP/1.1\r\nHost: shop\r\n\r\n");
                assertThat(readHead(user)).startsWith("HTTP/1.1 200");
            }

            assertThat(g.nextOutcome().failure()).contains(Failure.CLIENT_ABORTED);
            assertThat(backend.conversation(0).awaitPeerClosed(Duration.ofSeconds(5))).as("closed, not kept half-read").isTrue();
        }
    }
}
