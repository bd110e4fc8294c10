package dev.strangler.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Passes a response through to the client unchanged while keeping a copy of its first
 * {@code limit} bytes, so the shadow stage can compare the monolith's answer without delaying it
 * or buffering it for the user. Past the limit it stops copying and says so.
 */
final class CapturingWriteStream extends ForwardingWriteStream {
    private final BodyCapture capture;

    CapturingWriteStream(WriteStream<Buffer> target, int limit) {
        super(target);
        this.capture = new BodyCapture(limit);
    }

    /** The copied bytes, or null when the body was larger than the limit. */
    byte[] captured() {
        return capture.captured();
    }

    @Override
    public Future<Void> write(Buffer data) {
        capture.add(data);
        return target.write(data);
    }
}
