package dev.strangler.gateway.proxy;

import io.vertx.core.buffer.Buffer;

/**
 * A copy of the first {@code limit} bytes of a response body that is passed on to the client as it
 * comes, kept for the shadow stage's comparison; past the limit it stops copying and says so.
 */
final class BodyCapture {
    private final int limit;
    private final Buffer copy = Buffer.buffer();
    private boolean overflowed;

    BodyCapture(int limit) {
        this.limit = limit;
    }

    /** Copies {@code data} (the caller keeps it and may release it), unless the body has outgrown the limit. */
    void add(Buffer data) {
        if (overflowed) return;
        if (copy.length() + data.length() > limit) overflowed = true;
        else copy.appendBuffer(data);
    }

    /** The copied bytes, or null when the body was larger than the limit. */
    byte[] captured() {
        return overflowed ? null : copy.getBytes();
    }
}
