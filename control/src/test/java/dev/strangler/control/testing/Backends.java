package dev.strangler.control.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Real HTTP backends on loopback for control-plane tests: a monolith and services whose error rate
 * and speed a test chooses. Every answer is the same small JSON, so shadow comparisons match.
 */
public final class Backends implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();

    /** A backend answering {@code {"ok":true}}; every {@code errorEvery}-th request (0 = never) gets a 500. */
    public HttpServer start(int errorEvery, long delayMillis) {
        AtomicLong count = new AtomicLong();
        return Await.result(vertx.createHttpServer().requestHandler(req -> {
            long n = count.incrementAndGet();
            Runnable answer = () -> {
                if (errorEvery > 0 && n % errorEvery == 0) {
                    req.response().setStatusCode(500).putHeader("Content-Type", "application/json").end("{\"error\":\"boom\"}");
                } else {
                    req.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
                }
            };
            if (delayMillis > 0) vertx.setTimer(delayMillis, id -> answer.run());
            else answer.run();
        }).listen(0, "127.0.0.1"));
    }

    public HttpServer healthy() {
        return start(0, 0);
    }

    @Override
    public void close() {
        Await.result(vertx.close());
    }
}
