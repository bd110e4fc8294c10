package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.CharsetUtil;

import java.util.function.Consumer;

/**
 * A bodiless HTTP/1.1 request as the lean client ({@link LeanPool}) sends it, and its head as bytes:
 * what Netty's {@code HttpRequestEncoder} writes for it, written into a heap buffer in one pass
 * straight from the header lines (no header map, no request object in between).
 *
 * <p>Why not the encoder: it writes header text into a direct buffer a byte at a time, and without
 * {@code sun.misc.Unsafe} (Netty's default from JDK 25) each of those writes is a checked
 * memory-segment access; it also sizes, frames and dispatches for bodies this path never has. A heap
 * buffer takes plain array stores, and the transport copies it to native memory once, in bulk.
 * {@code LeanRequestTest} checks the bytes against Netty's encoder.
 *
 * <p>Same rules as the encoder for an origin-form target (the only form {@link OutboundRequest#uri}
 * makes): the request line is {@code METHOD SP request-target SP HTTP/1.1} (an empty target written
 * as {@code /}, the target in UTF-8); each header is {@code name: value} with characters above
 * U+00FF written as {@code ?}, as Netty's US-ASCII writing does; no framing header is added, since
 * the request has no content.
 *
 * @param headers writes the header lines, in order, to the sink it is given; called once per send
 */
record LeanRequest(HttpMethod method, String uri, Consumer<ProxyHeaders.Sink> headers) {
    private static final int CRLF = ('\r' << 8) | '\n';
    private static final int COLON_SPACE = (':' << 8) | ' ';
    /** Enough for a typical head with forwarding headers; the buffer grows for a longer one. */
    private static final int INITIAL_CAPACITY = 512;

    /** Whether the response has no body whatever its framing says (RFC 9110 §9.3.2). */
    boolean isHead() {
        return method.equals(HttpMethod.HEAD);
    }

    /** The head as bytes, in a buffer from {@code alloc} the caller owns (and writes). */
    ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf out = alloc.heapBuffer(INITIAL_CAPACITY);
        try {
            out.writeCharSequence(method.asciiName(), CharsetUtil.US_ASCII);
            out.writeByte(' ');
            if (uri.isEmpty()) out.writeByte('/');
            else out.writeCharSequence(uri, CharsetUtil.UTF_8);
            out.writeCharSequence(" HTTP/1.1", CharsetUtil.US_ASCII);
            out.writeShort(CRLF);
            headers.accept((name, value) -> {
                out.writeCharSequence(name, CharsetUtil.US_ASCII);
                out.writeShort(COLON_SPACE);
                out.writeCharSequence(value, CharsetUtil.US_ASCII);
                out.writeShort(CRLF);
            });
            out.writeShort(CRLF);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
