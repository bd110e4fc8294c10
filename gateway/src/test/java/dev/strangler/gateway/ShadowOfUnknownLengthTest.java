package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Failure;
import dev.strangler.gateway.observe.ShadowComparison;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chunked upload on a shadow route, whose length its head does not give: the gateway reads it up to
 * the route's {@code max-body-bytes}. Within the limit it is copied like a body with a length; past it
 * the monolith still gets all of it, streamed after the bytes read, and the copy is dropped as
 * {@code body-too-large}. Checked on the bytes each backend received ({@link ByteLoggingBackend}).
 */
class ShadowOfUnknownLengthTest {
    private static final int LIMIT = 1024;

    private ByteLoggingBackend monolith;
    private ByteLoggingBackend service;
    private GatewayInFront gateway;

    @BeforeEach
    void start() throws Exception {
        monolith = ByteLoggingBackend.start();
        service = ByteLoggingBackend.start();
        Route shadow = Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.SHADOW)
                .withShadow(new ShadowSettings(true, LIMIT, 8, List.of()));
        gateway = GatewayInFront.of(monolith.url().toString(), service.url().toString(), List.of(shadow), c -> c);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        monolith.close();
        service.close();
    }

    private static final String HEAD = "POST /api/posts HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n";

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    /** {@code n} bytes that say where they are, so a reordered or lost part shows. */
    private static String numbered(char tag, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; b.length() < n; i++) b.append(tag).append(i).append(',');
        return b.substring(0, n);
    }

    private static void assertServed(Socket s) throws Exception {
        assertThat(readHead(s)).startsWith("HTTP/1.1 200 ");
        assertThat(readBytes(s, 2)).isEqualTo("ok");
    }

    @Test
    void aChunkedPostWithinTheLimitIsCopiedWhole() throws Exception {
        try (Socket s = gateway.connect()) {
            write(s, HEAD + "\r\n" + chunk("hello") + chunk(" world") + "0\r\n\r\n");
            assertServed(s);
        }
        assertThat(gateway.nextShadowResult()).isInstanceOf(ShadowComparison.class);
        service.awaitAnswered(1, Duration.ofSeconds(5));
        monolith.awaitAnswered(1, Duration.ofSeconds(5));

        // The copy carries the body with its length, as every copy with content does.
        String copy = service.allReceived();
        assertThat(copy).startsWith("POST /api/posts HTTP/1.1\r\n").containsIgnoringCase("\r\ncontent-length: 11\r\n")
                .endsWith("\r\n\r\nhello world");
        assertThat(copy.toLowerCase(Locale.ROOT)).doesNotContain("transfer-encoding");
        // The monolith gets the body framed as it came: chunked, all of it, ended.
        String toMonolith = monolith.allReceived();
        assertThat(toMonolith.toLowerCase(Locale.ROOT)).contains("\r\ntransfer-encoding: chunked\r\n").doesNotContain("content-length");
        assertThat(Chunked.decode(bodyOf(toMonolith))).isEqualTo("hello world");
    }

    @Test
    void aChunkedPostLongerThanTheLimitReachesTheMonolithWholeAndIsNotCopied() throws Exception {
        String first = numbered('a', 1000);
        String second = numbered('b', 1000);
        String rest = numbered('c', 300_000);
        try (Socket s = gateway.connect()) {
            write(s, HEAD + "\r\n" + chunk(first));
            // The limit is passed by the second part; the rest comes after the gateway stopped to read it.
            write(s, chunk(second));
            Thread.sleep(100);
            write(s, chunk(rest) + "0\r\n\r\n");
            assertServed(s);
        }
        assertThat(gateway.nextShadowResult()).isEqualTo(DropReason.BODY_TOO_LARGE);
        monolith.awaitAnswered(1, Duration.ofSeconds(5));

        String toMonolith = monolith.allReceived();
        assertThat(toMonolith.toLowerCase(Locale.ROOT)).contains("\r\ntransfer-encoding: chunked\r\n").doesNotContain("content-length");
        assertThat(Chunked.decode(bodyOf(toMonolith))).isEqualTo(first + second + rest);
        assertThat(service.allReceived()).as("no copy").isEmpty();
        assertThat(gateway.nextOutcome().failure()).isEmpty();
    }

    @Test
    void aChunkedUploadThatBreaksOffPastTheLimitNeverReachesTheMonolithAsWhole() throws Exception {
        try (Socket s = gateway.connect()) {
            write(s, HEAD + "\r\n" + chunk(numbered('a', 2000)) + "3e8\r\nonly this much");
            Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(monolith.allReceived()).contains("only this much"));
        }
        assertThat(gateway.nextOutcome().failure()).contains(Failure.CLIENT_ABORTED);
        assertThat(gateway.nextShadowResult()).isEqualTo(DropReason.BODY_TOO_LARGE);
        ByteLoggingBackend.Connection toMonolith = monolith.connections().getFirst();
        Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(toMonolith.isEnded()).isTrue());
        // What came is relayed in chunks of the gateway's own; the last chunk never follows.
        assertThat(toMonolith.text()).as("reset, never ended with a last chunk").endsWith("only this much\r\n")
                .doesNotContain("\r\n0\r\n\r\n");
        assertThat(monolith.answered()).isZero();
        assertThat(service.allReceived()).isEmpty();
    }

    @Test
    void aChunkedUploadThatBreaksOffWithinTheLimitReachesNoBackend() throws Exception {
        try (Socket s = gateway.connect()) {
            write(s, HEAD + "\r\n" + chunk("hello") + "64\r\nonly this");
            Thread.sleep(200); // the gateway reads what came, and waits for the rest
        }
        assertThat(gateway.nextOutcome().failure()).contains(Failure.CLIENT_ABORTED);
        assertThat(gateway.shadowResults.poll(500, TimeUnit.MILLISECONDS)).as("no copy, no drop: there was no request").isNull();
        assertThat(monolith.allReceived()).isEmpty();
        assertThat(service.allReceived()).isEmpty();
    }

    @Test
    void aClientExpectingContinueIsToldOnceAndTheMonolithIsNotAskedAgain() throws Exception {
        String body = numbered('x', 5000);
        try (Socket s = gateway.connect()) {
            write(s, HEAD + "Expect: 100-continue\r\n\r\n");
            assertThat(readHead(s)).startsWith("HTTP/1.1 100 ");
            write(s, chunk(body) + "0\r\n\r\n");
            // the next thing the client reads is the answer, not a second 100
            assertServed(s);
        }
        assertThat(gateway.nextShadowResult()).isEqualTo(DropReason.BODY_TOO_LARGE);
        monolith.awaitAnswered(1, Duration.ofSeconds(5));
        String toMonolith = monolith.allReceived();
        assertThat(toMonolith.toLowerCase(Locale.ROOT)).doesNotContain("expect");
        assertThat(Chunked.decode(bodyOf(toMonolith))).isEqualTo(body);
    }

    private static String bodyOf(String request) {
        return request.substring(request.indexOf("\r\n\r\n") + 4);
    }

    /** A strict reader of a chunked body (RFC 9112 §7.1): fails on anything but whole chunks and the last one. */
    static final class Chunked {
        static String decode(String wire) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = wire.indexOf("\r\n", at);
                if (lineEnd < 0) throw new AssertionError("no chunk size line at " + at + " in a body of " + wire.length());
                int size = Integer.parseInt(wire.substring(at, lineEnd), 16);
                at = lineEnd + 2;
                if (size == 0) {
                    if (!wire.substring(at).equals("\r\n")) throw new AssertionError("after the last chunk: " + wire.substring(at));
                    return out.toString();
                }
                out.append(wire, at, at + size);
                at += size;
                if (!wire.startsWith("\r\n", at)) throw new AssertionError("a chunk not ended by CRLF at " + at);
                at += 2;
            }
        }
    }
}
