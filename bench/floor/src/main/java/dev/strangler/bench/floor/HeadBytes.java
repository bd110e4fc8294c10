package dev.strangler.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A head being written, gathered in one array reused from head to head, then copied into a pooled buffer of its
 * exact size in one go. Netty 4.2's pooled (adaptive) buffers make a {@code ByteBuffer} view for a copy from
 * another buffer and for the first copy from an array; a heap buffer's copy into them is one memory copy when
 * Netty may use {@code sun.misc.Unsafe}, and so is a copy out of them into an array. So the pieces (runs of the
 * source head's lines, the added lines) are gathered here, and none of the copies allocates when Netty has
 * {@code Unsafe}; without it each costs a view.
 */
final class HeadBytes {
    /** No Connection line, for {@link #end}. */
    static final byte[] NO_LINE = new byte[0];
    private static final byte[] REQUEST_ID = "X-Request-Id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private byte[] bytes = new byte[1024];
    private ByteBuf wrapped = Unpooled.wrappedBuffer(bytes);
    private int length;

    /** Starts a new head. */
    HeadBytes clear() {
        length = 0;
        return this;
    }

    HeadBytes append(ByteBuf from, int index, int count) {
        from.getBytes(index, room(count), length, count);
        length += count;
        return this;
    }

    HeadBytes append(byte[] from) {
        System.arraycopy(from, 0, room(from.length), length, from.length);
        length += from.length;
        return this;
    }

    /** Appends {@code X-Request-Id: id CRLF}, then {@code connectionLine} (CRLF included, or empty), then the empty line. */
    HeadBytes end(AsciiText requestId, byte[] connectionLine) {
        append(REQUEST_ID);
        length = requestId.copyTo(room(requestId.length()), length);
        return append(CRLF).append(connectionLine).append(CRLF);
    }

    /** The head in a new buffer of {@code alloc}'s, which the caller owns. */
    ByteBuf toBuffer(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(length);
        wrapped.getBytes(0, out, 0, length); // not out.writeBytes(bytes): see the class comment
        return out.writerIndex(length);
    }

    private byte[] room(int more) {
        if (bytes.length - length < more) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
            wrapped = Unpooled.wrappedBuffer(bytes);
        }
        return bytes;
    }
}
