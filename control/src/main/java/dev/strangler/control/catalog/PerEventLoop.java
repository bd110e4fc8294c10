package dev.strangler.control.catalog;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One value per Vert.x event loop, made the first time that loop asks for it and from then on touched
 * only on that loop's thread, so the loop reads and writes it without locks. Another thread reaches a
 * value by running a task on its loop ({@link Loop#read}, {@link Loop#post}), which Netty runs between
 * two of the loop's other tasks: a read sees the value as whole requests left it, never half of one.
 *
 * <p>The values are found by comparing the calling thread with each owner's, in an array replaced as a
 * whole when a loop joins: a gateway has a few event loops (twice the cores by default), so the scan
 * is a few comparisons, and unlike a thread-local nothing stays attached to a thread after this object
 * is gone.
 *
 * <p>A loop that is gone (its Vert.x instance closed) no longer runs tasks; once its thread has ended,
 * which {@link Thread#isAlive()} sees with a happens-before edge, its value is read directly, under the
 * value's own lock in case several readers do so at once.
 *
 * @param <T> not thread-safe: confined to its loop
 */
final class PerEventLoop<T> {
    /** One loop's value, with what it takes to run a task on that loop. */
    record Loop<T>(Thread thread, Context context, T value) {
        /**
         * {@code read} applied to the value on its loop, waited for up to {@code timeout}; blocking (on
         * the calling loop's own value, or one whose loop has ended, it runs here). Empty when the loop
         * neither answered in time nor ended (a loop blocked, or shutting down).
         */
        <R> Optional<R> read(Function<T, R> read, Duration timeout) {
            if (Thread.currentThread() == thread) return Optional.of(read.apply(value));
            if (!thread.isAlive()) return Optional.of(readEnded(read));
            CompletableFuture<R> answer = new CompletableFuture<>();
            try {
                context.runOnContext(v -> {
                    try {
                        answer.complete(read.apply(value));
                    } catch (Throwable e) { // the reader rethrows it; the loop goes on
                        answer.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException rejected) { // the loop shuts down: wait for its thread to end
                return endedWithin(timeout) ? Optional.of(readEnded(read)) : Optional.empty();
            }
            try {
                return Optional.of(answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                return !thread.isAlive() ? Optional.of(readEnded(read)) : Optional.empty();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) throw error;
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        /**
         * Runs {@code change} on the value on its loop, later; a task posted before a {@link #read} runs
         * before it (Netty runs a loop's tasks in order). False when the loop refused it and still runs.
         */
        boolean post(Consumer<T> change, Duration timeout) {
            if (thread.isAlive()) {
                try {
                    context.runOnContext(v -> change.accept(value));
                    return true;
                } catch (RuntimeException rejected) {
                    if (!endedWithin(timeout)) return false;
                }
            }
            readEnded(v -> {
                change.accept(v);
                return null;
            });
            return true;
        }

        private <R> R readEnded(Function<T, R> read) {
            synchronized (value) {
                return read.apply(value);
            }
        }

        private boolean endedWithin(Duration timeout) {
            try {
                thread.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return !thread.isAlive();
        }
    }

    private final Supplier<T> newValue;
    @SuppressWarnings("unchecked")
    private volatile Loop<T>[] loops = new Loop[0];

    /** @param newValue called on a loop's thread, under this object's lock, the first time that loop asks */
    PerEventLoop(Supplier<T> newValue) {
        this.newValue = newValue;
    }

    /**
     * The calling event loop's value, made on its first call; {@code null} (rather than an
     * {@code Optional}, which this per-request path would allocate) when the caller is not an event
     * loop: a worker thread, a test's thread, or an event loop outside any Vert.x context.
     */
    T current() {
        Thread caller = Thread.currentThread();
        for (Loop<T> loop : loops) {
            if (loop.thread == caller) return loop.value;
        }
        return Context.isOnEventLoopThread() ? join(caller) : null; // other callers never wait for the lock
    }

    /**
     * Every loop that has a value, in the order they joined. Taken under this object's lock, the list
     * agrees with whatever the owner changed under the same lock when a value was made.
     */
    List<Loop<T>> loops() {
        return List.of(loops);
    }

    private synchronized T join(Thread caller) {
        for (Loop<T> loop : loops) {
            if (loop.thread == caller) return loop.value;
        }
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) return null; // no way to run a reader's task here
        Loop<T> joined = new Loop<>(caller, context, newValue.get());
        Loop<T>[] more = Arrays.copyOf(loops, loops.length + 1);
        more[loops.length] = joined;
        loops = more;
        return joined.value;
    }
}
