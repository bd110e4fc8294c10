package dev.strangler.bench.floor;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A reusable text of bytes copied out of a head (method, target, request id): what {@link OwnRelay} keeps of a
 * request for its response and its access-log line after the head's buffer has gone, without a {@code String}
 * per request. Its bytes change with the next request, so a reader uses it at once and keeps nothing.
 */
final class AsciiText implements CharSequence {
    private byte[] bytes;
    private int length;

    AsciiText(int capacity) {
        bytes = new byte[capacity];
    }

    /** Becomes the {@code count} bytes of {@code from} at {@code index}. */
    void copy(ByteBuf from, int index, int count) {
        from.getBytes(index, reset(count), 0, count);
    }

    /** Becomes {@code count} bytes the caller writes into the returned array from 0 (grown when needed). */
    byte[] reset(int count) {
        if (bytes.length < count) bytes = new byte[Math.max(count, bytes.length * 2)];
        length = count;
        return bytes;
    }

    /** Copies the text into {@code into} at {@code at}; returns the index after it. */
    int copyTo(byte[] into, int at) {
        System.arraycopy(bytes, 0, into, at, length);
        return at + length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index >= length) throw new IndexOutOfBoundsException("index " + index + " (length " + length + ")");
        return (char) (bytes[index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
