package dev.strangler.core.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Received bytes {@code bytes()[from(), to())} read as text one char per byte (ISO-8859-1), without
 * copying them: the one reading shared by a fixed view ({@link ByteText}) and one moved from line to
 * line ({@link MovableByteText}). A view reads whatever the array holds, so its owner must not reuse
 * the array while the view is in use.
 */
public abstract sealed class BytesAsText implements CharSequence permits ByteText, MovableByteText {
    BytesAsText() {}

    abstract byte[] bytes();

    abstract int from();

    abstract int to();

    @Override
    public final int length() {
        return to() - from();
    }

    @Override
    public final char charAt(int index) {
        Objects.checkIndex(index, length());
        return (char) (bytes()[from() + index] & 0xff);
    }

    /** A fixed view of part of this text, valid while the bytes are. */
    @Override
    public final ByteText subSequence(int start, int end) {
        Objects.checkFromToIndex(start, end, length());
        return new ByteText(bytes(), from() + start, from() + end);
    }

    @Override
    public final String toString() {
        return new String(bytes(), from(), length(), StandardCharsets.ISO_8859_1);
    }
}
