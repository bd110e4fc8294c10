package dev.strangler.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.util.concurrent.TimeUnit;

/**
 * The backend's {@code response-timeout} inside a response body relayed from Vert.x's client: the
 * longest pause between two parts of the body (README, the backend's keys). Vert.x 5 times only the
 * wait for the head (a request's idle timeout is cancelled when the head arrives), so without this a
 * backend that stalls mid-body holds the client until the client's own idle timeout, where the lean
 * client ({@link LeanPool}) and NGINX's {@code proxy_read_timeout} break the response off.
 *
 * <p>It sits between the backend's response and the client's: every part written through it counts
 * as the backend being alive, and so does the client's write queue being full (then the pipe has
 * paused the backend for the client's sake). One timer at a time, re-armed for the time left rather
 * than reset on every part, as {@link LeanPool}'s response timer; {@link #stop} cancels it. Used on
 * the response's event loop only.
 */
final class BodyPauseWatch extends ForwardingWriteStream {
    private final Vertx vertx;
    private final long timeoutNanos;
    private final Runnable onPause;
    private long lastPart;
    private long timer = -1;
    private boolean stopped;

    /** @param onPause what to do when the body paused for {@code timeoutMillis}: break the response off */
    BodyPauseWatch(Vertx vertx, WriteStream<Buffer> target, long timeoutMillis, Runnable onPause) {
        super(target);
        this.vertx = vertx;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis));
        this.onPause = onPause;
    }

    /** Starts timing from now: the head has just been relayed. */
    BodyPauseWatch start() {
        lastPart = System.nanoTime();
        arm(timeoutNanos);
        return this;
    }

    /** The response ended, broke off or was abandoned: nothing more to time. */
    void stop() {
        stopped = true;
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void arm(long nanos) {
        timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)), id -> check());
    }

    private void check() {
        timer = -1;
        if (stopped) return;
        long now = System.nanoTime();
        if (target.writeQueueFull()) lastPart = now; // the client is slow, not the backend
        long pausedFor = now - lastPart;
        if (pausedFor < timeoutNanos) {
            arm(timeoutNanos - pausedFor);
            return;
        }
        stopped = true;
        onPause.run();
    }

    @Override
    public Future<Void> write(Buffer data) {
        lastPart = System.nanoTime();
        return target.write(data);
    }

    @Override
    public Future<Void> end() {
        stop();
        return target.end();
    }
}
