package dev.strangler.gateway;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client pipelines an upgrade request behind a plain one, in one write. The framing guard holds
 * what follows the upgrade request until that request's own answer: the plain request's {@code 200},
 * written first, is not it. Before the fix the guard took the first status line written after the
 * upgrade request for its answer: the {@code 200} made it read HTTP/1.x again, so after the backend's
 * {@code 101} the tunnel's bytes were read as the head of a next request and never reached the
 * backend; with a decline, the request pipelined after the upgrade was let through before the
 * upgrade's answer.
 */
class PipelinedUpgradeTest {
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static final String PLAIN = "GET /a HTTP/1.1\r\nHost: shop.example\r\nX-Request-Id: plain-a\r\n\r\n";
    private static final String HANDSHAKE = "GET /ws HTTP/1.1\r\nHost: shop.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nX-Request-Id: upgrade-ws\r\n\r\n";

    /** {@link #PLAIN} and {@link #HANDSHAKE} as the backend gets them. */
    private static final String PLAIN_FORWARDED = "GET /a HTTP/1.1\r\nX-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\n"
            + "X-Forwarded-Host: shop.example\r\nX-Request-Id: plain-a\r\nhost: shop.example\r\n\r\n";
    private static final String HANDSHAKE_FORWARDED = "GET /ws HTTP/1.1\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\nupgrade: websocket\r\nconnection: Upgrade\r\nX-Forwarded-For: 127.0.0.1\r\n"
            + "X-Forwarded-Proto: http\r\nX-Forwarded-Host: shop.example\r\nX-Request-Id: upgrade-ws\r\nhost: shop.example\r\n\r\n";

    /**
     * Answers a plain request with {@code 200} and its path; a handshake with a {@code 101} and then each 4
     * bytes with {@code pong:} and them, or, when {@code declines}, with a {@code 426}.
     */
    private static ScriptedBackend.Script backend(boolean declines) {
        return c -> {
            while (true) {
                String head = c.readHead();
                String path = head.substring(4, head.indexOf(' ', 4));
                if (!head.toLowerCase(Locale.ROOT).contains("\r\nupgrade: websocket\r\n")) {
                    c.write("HTTP/1.1 200 OK\r\ncontent-length: " + path.length() + "\r\n\r\n" + path);
                } else if (declines) {
                    c.write("HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\nContent-Length: 12\r\n\r\nno websocket");
                } else {
                    c.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n\r\n");
                    while (true) c.write("pong:" + c.readBytes(4));
                }
            }
        };
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(BackendClient.class)
    void anUpgradePipelinedBehindAPlainRequestIsSwitchedByItsOwnAnswer(BackendClient client) throws Exception {
        try (var backend = ScriptedBackend.start(backend(false));
             var g = client.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket user = g.connect()) {
            InputStream in = RawResponse.reader(user);
            write(user, PLAIN + HANDSHAKE);

            RawResponse plain = RawResponse.read(in, false);
            assertThat(plain.status()).isEqualTo(200);
            assertThat(plain.header("X-Request-Id")).contains("plain-a");
            assertThat(plain.bodyText()).isEqualTo("/a");
            RawResponse switched = RawResponse.read(in, false);
            assertThat(switched.head()).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: " + ACCEPT + "\r\n"
                    + "upgrade: websocket\r\nconnection: Upgrade\r\nX-Request-Id: upgrade-ws\r\n\r\n");

            // The connection is the tunnel's now: bytes that are no HTTP pass both ways as they are.
            write(user, "ping");
            assertThat(text(in.readNBytes(9))).isEqualTo("pong:ping");
            write(user, "\r\n\r\n");
            assertThat(text(in.readNBytes(9))).isEqualTo("pong:\r\n\r\n");

            assertThat(backend.allReceived()).as("both requests, once each, then the tunnel's bytes")
                    .containsOnlyOnce(PLAIN_FORWARDED).containsOnlyOnce(HANDSHAKE_FORWARDED + "ping\r\n\r\n");
            assertThat(receivedFrom(backend, "GET /ws ")).isEqualTo(HANDSHAKE_FORWARDED + "ping\r\n\r\n");
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(BackendClient.class)
    void anUpgradePipelinedBehindAPlainRequestAndDeclinedLeavesTheConnectionToHttp(BackendClient client) throws Exception {
        try (var backend = ScriptedBackend.start(backend(true));
             var g = client.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket user = g.connect()) {
            InputStream in = RawResponse.reader(user);
            write(user, PLAIN + HANDSHAKE + PLAIN.replace("/a", "/b"));

            RawResponse plain = RawResponse.read(in, false);
            assertThat(plain.status()).isEqualTo(200);
            assertThat(plain.bodyText()).isEqualTo("/a");
            RawResponse declined = RawResponse.read(in, false);
            assertThat(declined.status()).isEqualTo(426);
            assertThat(declined.bodyText()).isEqualTo("no websocket");
            RawResponse after = RawResponse.read(in, false);
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.bodyText()).isEqualTo("/b");

            write(user, PLAIN.replace("/a", "/c"));
            assertThat(RawResponse.read(in, false).bodyText()).as("the connection still carries requests").isEqualTo("/c");

            assertThat(receivedFrom(backend, "GET /ws ")).as("the handshake's head, and nothing after it").isEqualTo(HANDSHAKE_FORWARDED);
            assertThat(backend.allReceived()).containsOnlyOnce(PLAIN_FORWARDED)
                    .containsOnlyOnce(PLAIN_FORWARDED.replace("/a", "/b")).containsOnlyOnce(PLAIN_FORWARDED.replace("/a", "/c"));
        }
    }

    /** What the backend received on a connection from where {@code start} came on. */
    private static String receivedFrom(ScriptedBackend backend, String start) {
        for (ScriptedBackend.Conversation c : backend.conversations()) {
            String received = c.received();
            int at = received.indexOf(start);
            if (at >= 0) return received.substring(at);
        }
        throw new AssertionError("the backend never got " + start.strip());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
