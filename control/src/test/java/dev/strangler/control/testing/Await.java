package dev.strangler.control.testing;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Waiting in tests: for a Vert.x future, or for a condition to hold. */
public final class Await {
    private Await() {}

    public static <T> T result(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future did not complete: " + e, e);
        }
    }

    /** Polls until {@code check} returns non-null (exceptions count as "not yet"); fails after {@code timeout}. */
    public static <T> T until(Duration timeout, Callable<T> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = check.call();
                if (value != null && !Boolean.FALSE.equals(value)) return value;
            } catch (Exception | AssertionError e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("condition not met within " + timeout + (last == null ? "" : ": " + last), last);
    }
}
