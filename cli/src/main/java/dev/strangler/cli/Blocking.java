package dev.strangler.cli;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits on a Vert.x future from a command's own thread (never from an event loop). */
final class Blocking {
    private Blocking() {}

    /**
     * Blocks until the future completes.
     *
     * @throws RuntimeException the future's failure as is when it is unchecked, else wrapped
     * @throws IllegalStateException when {@code timeout} passes first
     */
    static <T> T await(Future<T> future, Duration timeout, String what) throws InterruptedException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": not done after " + timeout);
        }
    }
}
