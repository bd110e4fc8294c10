package dev.strangler.gateway.proxy;

import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The backend's {@code response-timeout} inside a response body read from Vert.x's client: the
 * longest pause between two parts of the body (README, the backend's keys). Vert.x 5 times only the
 * wait for the head (a request's idle timeout is cancelled when the head arrives), so without this a
 * backend that stalls mid-body holds its connection, and whoever waits for the body, until it closes;
 * the lean client ({@link LeanPool}) and NGINX's {@code proxy_read_timeout} give up after the timeout.
 *
 * <p>One timer at a time, re-armed for the time left rather than reset at every part, as
 * {@link LeanPool}'s response timer. Used on the response's event loop only. The clock and the
 * timers are injected ({@link Timers}), so the rule is tested without waiting.
 */
final class PauseTimer {
    /** Schedules a task after a delay and cancels it: Vert.x's timers in the gateway, a fake in tests. */
    interface Timers {
        long nanoTime();

        /** Returns an id for {@link #cancel}. */
        long schedule(long delayMillis, Runnable task);

        void cancel(long id);

        static Timers of(Vertx vertx) {
            return new Timers() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public long schedule(long delayMillis, Runnable task) {
                    return vertx.setTimer(delayMillis, id -> task.run());
                }

                @Override
                public void cancel(long id) {
                    vertx.cancelTimer(id);
                }
            };
        }
    }

    private final Timers timers;
    private final long timeoutNanos;
    private final BooleanSupplier readerHolds;
    private final Runnable onPause;
    private long lastPart;
    private long timer = -1;
    private boolean stopped;
    private boolean timedOut;

    /**
     * @param readerHolds whether the reader of the body is what holds it up (a slow client): then the backend is not pausing
     * @param onPause     what to do when the body paused for {@code timeoutMillis}: break the response off
     */
    PauseTimer(Vertx vertx, long timeoutMillis, BooleanSupplier readerHolds, Runnable onPause) {
        this(Timers.of(vertx), timeoutMillis, readerHolds, onPause);
    }

    PauseTimer(Timers timers, long timeoutMillis, BooleanSupplier readerHolds, Runnable onPause) {
        this.timers = timers;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis));
        this.readerHolds = readerHolds;
        this.onPause = onPause;
    }

    /** Starts timing from now: the head has just arrived. */
    PauseTimer start() {
        lastPart = timers.nanoTime();
        arm(timeoutNanos);
        return this;
    }

    /** A part of the body arrived. */
    void partArrived() {
        lastPart = timers.nanoTime();
    }

    /** Whether the body paused for the timeout (and {@code onPause} ran). */
    boolean timedOut() {
        return timedOut;
    }

    /** The body ended, broke off or was abandoned: nothing more to time. */
    void stop() {
        stopped = true;
        if (timer != -1) {
            timers.cancel(timer);
            timer = -1;
        }
    }

    private void arm(long nanos) {
        timer = timers.schedule(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)), this::check);
    }

    private void check() {
        timer = -1;
        if (stopped) return;
        long now = timers.nanoTime();
        if (readerHolds.getAsBoolean()) lastPart = now;
        long pausedFor = now - lastPart;
        if (pausedFor < timeoutNanos) {
            arm(timeoutNanos - pausedFor);
            return;
        }
        stopped = true;
        timedOut = true;
        onPause.run();
    }
}
