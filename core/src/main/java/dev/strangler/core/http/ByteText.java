package dev.strangler.core.http;

import java.util.Objects;

/**
 * Received bytes {@code bytes[from, to)} read as text one char per byte (ISO-8859-1), without
 * copying them: how the framing guard hands {@link Http1Syntax} the lines of a request head where
 * they stand. A view, not a copy: it reads whatever the array holds, so its owner must not reuse
 * the array while the view is in use.
 */
public final class ByteText extends BytesAsText {
    private final byte[] bytes;
    private final int from;
    private final int to;

    public ByteText(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        this.bytes = bytes;
        this.from = from;
        this.to = to;
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
