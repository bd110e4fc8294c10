package dev.strangler.gateway;

import ch.qos.logback.classic.Level;
import dev.strangler.gateway.observe.Failure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 2: an upload that breaks off or is malformed never reaches the backend as a whole
 * request. The backend's request is reset (its connection closed), never ended with {@code 0\r\n\r\n}.
 */
class AbortedUploadTest {
    /** Reads request heads and never answers a POST: the test looks at what arrived. */
    private static final ScriptedBackend.Script ANSWER_GETS_ONLY = c -> {
        while (true) {
            String head = c.readHead();
            if (head.startsWith("GET ")) c.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
            else return; // keep reading (the recorder does) and never answer
        }
    };

    @Test
    void aClientThatClosesShortOfItsContentLengthMakesTheGatewayCloseTheBackendConnectionOnAPooledConnection() throws Exception {
        try (var backend = ScriptedBackend.start(ANSWER_GETS_ONLY);
             var g = GatewayInFront.of(backend.url(), List.of());
             var vertxLog = new CapturedLog("io.vertx.core.http.impl.HttpClientRequestImpl")) {
            // A first request leaves a pooled, kept-alive connection to the backend. It has a body so
            // it takes the same client as the upload (bodiless requests have the lean client's own pool).
            try (Socket warm = g.connect()) {
                write(warm, "GET /warm HTTP/1.1\r\nHost: shop\r\nContent-Length: 2\r\n\r\nhi");
                assertThat(readHead(warm)).startsWith("HTTP/1.1 200");
                readBytes(warm, 2);
            }
            try (Socket client = g.connect()) {
                write(client, "POST /orders HTTP/1.1\r\nHost: shop\r\nContent-Length: 100\r\n\r\n0123456789");
                ScriptedBackend.Conversation pooled = backend.conversation(0);
                Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(pooled.received()).endsWith("0123456789"));
            }
            ScriptedBackend.Conversation pooled = backend.conversation(0);
            assertThat(pooled.awaitPeerClosed(Duration.ofSeconds(10))).as("the backend connection was closed").isTrue();
            assertThat(backend.conversations()).as("the upload went on the pooled connection").hasSize(1);
            String upload = pooled.received().substring(pooled.received().indexOf("POST /orders"));
            assertThat(upload).endsWith("\r\n\r\n0123456789"); // 10 of 100 bytes, then the connection closed
            assertThat(g.nextOutcome().failure()).isEmpty(); // the warm-up
            assertThat(g.nextOutcome().failure()).contains(Failure.CLIENT_ABORTED);
            // Vert.x logs a request failed before its end "Stream reset: 0" at ERROR when nothing handles it.
            assertThat(vertxLog.messages(Level.ERROR)).as("the reset is the gateway's own, no error").isEmpty();
        }
    }

    @Test
    void aChunkedUploadResetByTheClientIsNeverEndedAtTheBackend() throws Exception {
        try (var backend = ScriptedBackend.start(ANSWER_GETS_ONLY);
             var g = GatewayInFront.of(backend.url(), List.of())) {
            Socket client = g.connect();
            write(client, "POST /orders HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            ScriptedBackend.Conversation c = backend.conversation(0);
            Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(c.received()).contains("hello"));
            client.setSoLinger(true, 0);
            client.close(); // RST

            assertThat(c.awaitPeerClosed(Duration.ofSeconds(10))).isTrue();
            assertThat(c.received()).endsWith("5\r\nhello\r\n").doesNotContain("0\r\n\r\n");
        }
    }

    @Test
    void aMalformedChunkSizeIsNeverForwardedAsTheEndOfTheBody() throws Exception {
        try (var backend = ScriptedBackend.start(ANSWER_GETS_ONLY);
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "POST /orders HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            ScriptedBackend.Conversation c = backend.conversation(0);
            Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(c.received()).contains("hello"));
            write(client, "zz\r\nmore\r\n0\r\n\r\n");

            // The HTTP stack closes a connection whose chunk framing broke (RFC 9112 §7.1 leaves no way to resync).
            GatewayInFront.readToClose(client, Duration.ofSeconds(10));
            assertThat(g.nextOutcome().failure()).isPresent().get().matches(f -> !f.isBackendFault());
            assertThat(c.awaitPeerClosed(Duration.ofSeconds(10))).isTrue();
            assertThat(c.received()).endsWith("5\r\nhello\r\n").doesNotContain("0\r\n\r\n").doesNotContain("more");
        }
    }

    @Test
    void anHttp2StreamResetMidBodyResetsTheBackendRequest() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (var backend = ScriptedBackend.start(ANSWER_GETS_ONLY);
             var g = GatewayInFront.of(backend.url(), List.of())) {
            var h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            var request = h2.request(HttpMethod.POST, g.gateway.port(), "127.0.0.1", "/orders")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            request.setChunked(true);
            request.write(Buffer.buffer("hello")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            ScriptedBackend.Conversation c = backend.conversation(0);
            Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(c.received()).contains("hello"));
            // Vert.x logs the reset of a request not ended at ERROR ("Stream reset: 0") unless it has an exception handler.
            request.exceptionHandler(resetHere -> { });
            request.reset(); // RST_STREAM

            assertThat(c.awaitPeerClosed(Duration.ofSeconds(10))).isTrue();
            assertThat(c.received()).endsWith("hello\r\n").doesNotContain("0\r\n\r\n");
            h2.close(); // used to the end: Vert.x shuts down a client that becomes unreachable, even mid-request
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A backend may answer before the whole body came (RFC 9112 §9.5 has a client watch for such an
     * answer; Tomcat sends one when a servlet refuses an upload unread, and closes once it has
     * swallowed 2 MB). Its connection still owes the rest of the body, so it must be closed, never
     * pooled: the next request written to it would be read as more of the body. Vert.x ignores a reset
     * once the response has ended: the connection stayed open and the next client's body ("ok")
     * arrived on it, its head nowhere, and that client waited for an answer that never came.
     */
    @Test
    void aBackendThatAnswersBeforeTheWholeBodyHasItsConnectionClosedAndNeverReused() throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
                 String head = c.readHead();
                 if (head.startsWith("PUT ")) {
                     c.write("HTTP/1.1 403 Forbidden\r\ncontent-length: 6\r\n\r\nlocked");
                     return; // keep reading (the recorder does), as a server swallowing the rest
                 }
                 c.readBytes(2);
                 c.write("HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nok");
             });
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket uploader = g.connect()) {
            long size = 64L * 1024 * 1024; // far more than socket buffers hold: the answer comes mid-body
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    write(uploader, "PUT /orders/locked HTTP/1.1\r\nHost: shop\r\nContent-Length: " + size + "\r\n\r\n");
                    byte[] piece = new byte[64 * 1024];
                    for (long sent = 0; sent < size; sent += piece.length) uploader.getOutputStream().write(piece);
                } catch (java.io.IOException e) {
                    // the gateway closes the connection once answered: the rest is not wanted
                }
            });
            assertThat(readHead(uploader)).startsWith("HTTP/1.1 403");
            assertThat(readBytes(uploader, 6)).isEqualTo("locked");
            ScriptedBackend.Conversation refused = backend.conversation(0);
            assertThat(refused.awaitPeerClosed(Duration.ofSeconds(10))).as("the connection owing the body was closed").isTrue();
            sender.join(10_000);

            try (Socket next = g.connect()) {
                write(next, "POST /orders HTTP/1.1\r\nHost: shop\r\nContent-Length: 2\r\n\r\nok");
                assertThat(readHead(next)).startsWith("HTTP/1.1 201");
                assertThat(readBytes(next, 2)).isEqualTo("ok");
            }
            assertThat(backend.conversation(1).received()).startsWith("POST /orders HTTP/1.1\r\n").endsWith("\r\n\r\nok");
            assertThat(refused.received()).doesNotContain("POST /orders").endsWith("\0");
        }
    }
}
