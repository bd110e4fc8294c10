package dev.strangler.core.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Received bytes {@code bytes[from, to)} read as text one char per byte (ISO-8859-1), without
 * copying them: how the framing guard hands {@link Http1Syntax} the lines of a request head where
 * they stand. A view, not a copy: it reads whatever the array holds, so its owner must not reuse
 * the array while the view is in use.
 */
public final class ByteText implements CharSequence {
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
    public int length() {
        return to - from;
    }

    @Override
    public char charAt(int index) {
        Objects.checkIndex(index, to - from);
        return (char) (bytes[from + index] & 0xff);
    }

    @Override
    public ByteText subSequence(int start, int end) {
        Objects.checkFromToIndex(start, end, to - from);
        return new ByteText(bytes, from + start, from + end);
    }

    @Override
    public String toString() {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
