package dev.strangler.gateway;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend on a loopback port that answers with what it received, so tests assert on
 * what actually crossed the wire. Special paths:
 * <ul>
 *   <li>{@code /hold/KEY}: answers only when the test calls {@link #release(String)}</li>
 *   <li>{@code /bytes/N}: streams N bytes without Content-Length</li>
 *   <li>{@code /count}: counts the request body's bytes while streaming it and answers the count</li>
 *   <li>{@code /status/N}: answers status N</li>
 * </ul>
 */
final class EchoBackend implements AutoCloseable {
    /** What one request looked like on arrival. */
    record Received(String method, String uri, Map<String, String> headers, long bodyBytes) {}

    final String name;
    private final HttpServer server;
    private final boolean tls;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Map<String, Promise<Void>> holds = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();
    /** Set when the first chunk of a /count body arrives: proves the proxy streams rather than buffers. */
    final CountDownLatch firstBodyChunk = new CountDownLatch(1);
    /** Connections currently open to this backend, to see a client pool being closed. */
    final AtomicInteger openConnections = new AtomicInteger();

    private EchoBackend(String name, HttpServer server, boolean tls) {
        this.name = name;
        this.server = server;
        this.tls = tls;
    }

    static EchoBackend start(Vertx vertx, String name) throws Exception {
        return start(vertx, name, new HttpServerOptions());
    }

    /** The same backend answering over https with {@code certificate}. */
    static EchoBackend startHttps(Vertx vertx, String name, TestCertificate certificate) throws Exception {
        return start(vertx, name, new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()));
    }

    private static EchoBackend start(Vertx vertx, String name, HttpServerOptions options) throws Exception {
        EchoBackend[] self = new EchoBackend[1];
        HttpServer server = vertx.createHttpServer(options).requestHandler(r -> self[0].handle(r))
                .connectionHandler(c -> {
                    self[0].openConnections.incrementAndGet();
                    c.closeHandler(v -> self[0].openConnections.decrementAndGet());
                });
        self[0] = new EchoBackend(name, server, options.isSsl());
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return self[0];
    }

    /** Over https the host is {@code localhost}, the name its certificate was made for. */
    URI url() {
        return URI.create(tls ? "https://localhost:" + server.actualPort() : "http://127.0.0.1:" + server.actualPort());
    }

    int port() {
        return server.actualPort();
    }

    void release(String key) {
        holds.computeIfAbsent(key, k -> Promise.promise()).tryComplete();
    }

    /** Waits until a /hold/KEY request has arrived. */
    boolean awaitHeld(String key) throws InterruptedException {
        return arrived.computeIfAbsent(key, k -> new CountDownLatch(1)).await(10, TimeUnit.SECONDS);
    }

    Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError(name + " received no request within 10 s");
        return r;
    }

    private void handle(HttpServerRequest req) {
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        req.headers().forEach(h -> headers.merge(h.getKey(), h.getValue(), (a, b) -> a + "," + b));
        String path = req.path();
        if (path.equals("/count")) {
            long[] count = {0};
            req.handler(chunk -> {
                count[0] += chunk.length();
                firstBodyChunk.countDown();
            });
            req.endHandler(v -> {
                received.add(new Received(req.method().name(), req.uri(), headers, count[0]));
                req.response().putHeader("X-Served-By", name).end(Long.toString(count[0]));
            });
            return;
        }
        req.body().onSuccess(body -> {
            Received r = new Received(req.method().name(), req.uri(), headers, body.length());
            received.add(r);
            if (path.startsWith("/hold/")) {
                String key = path.substring("/hold/".length());
                arrived.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
                holds.computeIfAbsent(key, k -> Promise.promise()).future()
                        .onComplete(v -> echo(req, r));
            } else if (path.startsWith("/bytes/")) {
                long n = Long.parseLong(path.substring("/bytes/".length()));
                streamBytes(req, n);
            } else if (path.startsWith("/status/")) {
                req.response().setStatusCode(Integer.parseInt(path.substring("/status/".length())))
                        .putHeader("X-Served-By", name).end();
            } else {
                echo(req, r);
            }
        });
    }

    private void echo(HttpServerRequest req, Received r) {
        JsonObject json = new JsonObject().put("backend", name).put("method", r.method()).put("uri", r.uri())
                .put("bodyBytes", r.bodyBytes());
        req.response().putHeader("Content-Type", "application/json").putHeader("X-Served-By", name)
                .putHeader("Connection", "keep-alive, X-Private").putHeader("X-Private", "hop")
                .end(json.encode());
    }

    private void streamBytes(HttpServerRequest req, long total) {
        var resp = req.response().setChunked(true).putHeader("X-Served-By", name);
        Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
        long[] sent = {0};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (sent[0] < total && !resp.writeQueueFull()) {
                int n = (int) Math.min(chunk.length(), total - sent[0]);
                resp.write(n == chunk.length() ? chunk : chunk.slice(0, n));
                sent[0] += n;
            }
            if (sent[0] >= total) resp.end();
            else resp.drainHandler(v -> pump[0].run());
        };
        pump[0].run();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
