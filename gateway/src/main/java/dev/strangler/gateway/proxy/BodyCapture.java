package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.util.Arrays;

/**
 * A copy of the first {@code limit} bytes of a response body, kept for the shadow stage's
 * comparison while the body itself goes on (to the client, or nowhere for a copy's answer); past the
 * limit it stops copying and says so.
 *
 * <p>The bytes go straight from the network buffers into one array, which {@link #captured} hands
 * over as it is when the body filled it exactly: with the body's announced length ({@link #expect})
 * that is the common case, one copy per byte and one array per body. Without it the array grows by
 * doubling and is trimmed once at the end.
 */
final class BodyCapture {
    private static final byte[] EMPTY = new byte[0];
    /** The first array for a body of unknown length; most compared answers (JSON) are small. */
    private static final int UNKNOWN_LENGTH_START = 512;

    private final int limit;
    private byte[] bytes = EMPTY;
    private int length;
    /** The announced length when it fits the limit, else -1; the array is sized by it on the first bytes. */
    private long expected = -1;
    private boolean overflowed;

    BodyCapture(int limit) {
        this.limit = limit;
    }

    /**
     * The body's announced length (Content-Length; -1 when none). Only a size hint: the bytes that come
     * decide (a HEAD's answer announces a length and has no body), so a length past the limit drops nothing yet.
     */
    void expect(long contentLength) {
        expected = contentLength >= 0 && contentLength <= limit ? contentLength : -1;
    }

    /** {@link #expect} with the Content-Length of a response head, when it has one a decoder would have let through. */
    void expectLengthOf(MultiMap headers) {
        String value = headers.get(HttpHeaders.CONTENT_LENGTH);
        if (value != null) expectLength(value);
    }

    /** As {@link #expectLengthOf}, from the value of a {@code Content-Length} line. */
    void expectLength(String value) {
        try {
            expect(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            // not a length: the array grows as the bytes come
        }
    }

    /** Copies {@code data} (the caller keeps it and may release it); returns false once the body has outgrown the limit. */
    boolean add(Buffer data) {
        int n = data.length();
        if (!makeRoom(n)) return false;
        data.getBytes(0, n, bytes, length);
        length += n;
        return true;
    }

    /** Copies the readable bytes of {@code data} without moving its reader index; returns false once past the limit. */
    boolean add(ByteBuf data) {
        int n = data.readableBytes();
        if (!makeRoom(n)) return false;
        data.getBytes(data.readerIndex(), bytes, length, n);
        length += n;
        return true;
    }

    private boolean makeRoom(int n) {
        if (overflowed) return false;
        if ((long) length + n > limit) {
            overflowed = true;
            bytes = null; // nothing of it will be compared
            return false;
        }
        int needed = length + n;
        if (needed > bytes.length) {
            long grown = Math.max(needed, expected >= needed ? expected : Math.max(UNKNOWN_LENGTH_START, 2L * bytes.length));
            bytes = Arrays.copyOf(bytes, (int) Math.min(grown, limit));
        }
        return true;
    }

    /** The copied bytes (the array is handed over: not to be changed), or null when the body was larger than the limit. */
    byte[] captured() {
        if (overflowed) return null;
        if (length != bytes.length) bytes = Arrays.copyOf(bytes, length);
        return bytes;
    }
}
