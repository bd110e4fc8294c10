package dev.strangler.core.http;

import java.util.Objects;

/**
 * A {@link ByteText} that is moved from line to line of a request head instead of made anew for
 * each: one object per connection where the framing guard judges a head, not one per line. Mutable,
 * so it never leaves the thread that owns it nor outlives the line it is on; what must be kept is
 * cut out of it ({@link #subSequence} is a fixed view, {@link #toString} a copy).
 */
public final class MovableByteText extends BytesAsText {
    private static final byte[] NONE = new byte[0];

    private byte[] bytes = NONE;
    private int from;
    private int to;

    /** Points this view at {@code bytes[from, to)}. */
    public MovableByteText moveTo(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        this.bytes = bytes;
        this.from = from;
        this.to = to;
        return this;
    }

    /** Lets go of the bytes last viewed (so that an idle connection does not keep a large head's array). */
    public void forget() {
        moveTo(NONE, 0, 0);
    }

    @Override
    byte[] bytes() {
        return bytes;
    }

    @Override
    int from() {
        return from;
    }

    @Override
    int to() {
        return to;
    }
}
