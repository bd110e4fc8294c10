package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.HeaderFields;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay ends the client's response with the backend's last content, releases that content only
 * once the end was written, and then tells the exchange, once, whether the end succeeded. The
 * response's parts are handed to the relay as the pool's reader would; the backend is a socket
 * that takes the request and never answers, so nothing else reaches the relay.
 */
class LeanRelayTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void theLastContentEndsTheResponseIsReleasedAfterwardsAndTheExchangeIsToldOnce() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(LeanLoop.isEnabled(),
                "the lean backend client is switched off (-D" + LeanLoop.SWITCH + "=false): there is no relay to test");
        ByteBuf body = Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII);
        CompletableFuture<Integer> refCntWhenRelayed = new CompletableFuture<>();
        CompletableFuture<Boolean> relayed = new CompletableFuture<>();
        int[] relayedCalls = new int[1];

        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                LeanLoop loop = LeanLoop.of(vertx, vertx.getOrCreateContext()).orElseThrow();
                LeanPool pool = new LeanPool(loop, "127.0.0.1", backend.getLocalPort(), 1, 2_000);
                HttpServerResponse response = request.response();
                LeanRelay[] relay = new LeanRelay[1];
                relay[0] = new LeanRelay(pool, new LeanRequest(HttpMethod.GET, "/", sink -> {}), 10_000, response, null,
                        new RecordingEnding(response) {
                            @Override
                            public void connected() {
                                // After the request went out: the backend's answer, as the decoder would hand it over.
                                loop.eventLoop().execute(() -> {
                                    HttpHeaders headers = NettyBridge.HEADERS.newHeaders().set("Content-Length", "5");
                                    relay[0].head(200, "OK", headers, null, 0, true);
                                    relay[0].content(body, true);
                                });
                            }

                            @Override
                            public void relayed(AsyncResult<Void> ended, boolean closeClient) {
                                relayedCalls[0]++;
                                refCntWhenRelayed.complete(body.refCnt());
                                relayed.complete(ended.succeeded());
                            }
                        });
                relay[0].start();
            });
            int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();

            CompletableFuture<Socket> accepted = acceptInBackground(backend);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client.setSoTimeout(5_000);
                OutputStream out = client.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer = readUntilBody(client.getInputStream(), "hello");

                assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nhello");
                assertThat(relayed.get(5, TimeUnit.SECONDS)).as("the end was written").isTrue();
                assertThat(refCntWhenRelayed.get(5, TimeUnit.SECONDS)).as("released before the exchange heard of it").isZero();
                assertThat(relayedCalls[0]).isEqualTo(1);
            } finally {
                accepted.get(5, TimeUnit.SECONDS).close();
            }
        }
    }

    /** The backend's side of the lean connection, accepted once the pool connects (it then sits silent). */
    private static CompletableFuture<Socket> acceptInBackground(ServerSocket backend) {
        CompletableFuture<Socket> accepted = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                accepted.complete(backend.accept());
            } catch (Exception e) {
                accepted.completeExceptionally(e);
            }
        });
        return accepted;
    }

    private static String readUntilBody(InputStream in, String body) throws Exception {
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[1024];
        while (!text.toString().endsWith("\r\n\r\n" + body)) {
            int n = in.read(buf);
            if (n < 0) break;
            text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    /** An exchange's side reduced to relaying the head; what a test needs it overrides. */
    private abstract static class RecordingEnding implements LeanRelay.Ending {
        private final HttpServerResponse response;

        RecordingEnding(HttpServerResponse response) {
            this.response = response;
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public void connectFailed(Throwable cause) {
            response.setStatusCode(502).end();
        }

        @Override
        public void earlyHints(MultiMap headers) {
        }

        @Override
        public boolean answered(int status, String reason, MultiMap headers, HeaderFields fields, int connectionLines) {
            response.setStatusCode(status);
            response.headers().addAll(headers);
            return false;
        }

        @Override
        public void failedBeforeHead(Throwable cause) {
            response.setStatusCode(502).end();
        }

        @Override
        public void brokeOff(Throwable cause) {
            response.reset();
        }
    }
}
