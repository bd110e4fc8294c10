package dev.strangler.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A {@link PauseTimer} between the backend's response and the client's: every part written through
 * it counts as the backend being alive, and so does the client's write queue being full (then the
 * pipe has paused the backend for the client's sake, and the backend is not the one pausing).
 */
final class BodyPauseWatch extends ForwardingWriteStream {
    private final PauseTimer timer;

    /** @param onPause what to do when the body paused for {@code timeoutMillis}: break the response off */
    BodyPauseWatch(Vertx vertx, WriteStream<Buffer> target, long timeoutMillis, Runnable onPause) {
        super(target);
        this.timer = new PauseTimer(vertx, timeoutMillis, target::writeQueueFull, onPause);
    }

    /** Starts timing from now: the head has just been relayed. */
    BodyPauseWatch start() {
        timer.start();
        return this;
    }

    /** Whether the body paused for the timeout (and {@code onPause} ran). */
    boolean timedOut() {
        return timer.timedOut();
    }

    /** The response ended, broke off or was abandoned. */
    void stop() {
        timer.stop();
    }

    @Override
    public Future<Void> write(Buffer data) {
        timer.partArrived();
        return target.write(data);
    }

    @Override
    public Future<Void> end() {
        timer.stop();
        return target.end();
    }
}
