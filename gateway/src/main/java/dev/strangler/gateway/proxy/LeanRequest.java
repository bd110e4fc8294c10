package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.CharsetUtil;
import io.netty.util.internal.PlatformDependent;

import java.util.function.Consumer;

/**
 * A bodiless HTTP/1.1 request as the lean client ({@link LeanPool}) sends it, and its head as bytes:
 * what Netty's {@code HttpRequestEncoder} writes for it, written into a heap buffer in one pass
 * straight from the header lines (no header map, no request object in between).
 *
 * <p>Why not the encoder: it sizes, frames and dispatches for bodies this path never has, and it
 * always writes into a direct buffer a byte at a time; without {@code sun.misc.Unsafe} (Netty's
 * default from JDK 25 unless the launcher's option allows it) each of those writes is a checked
 * memory-segment access. So the head goes into a direct buffer when Netty has Unsafe, and otherwise
 * into a heap buffer (plain array stores), which the transport copies to native memory once, in bulk.
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

    /** The head as bytes, in a buffer from {@code alloc} the caller owns (and writes), direct where Netty {@link #writesDirectCheaply}. */
    ByteBuf encode(ByteBufAllocator alloc) {
        return encode(alloc, writesDirectCheaply());
    }

    /** Whether Netty has {@code Unsafe}: then a direct buffer takes the bytes as cheaply as an array and spares the transport's copy. */
    static boolean writesDirectCheaply() {
        return PlatformDependent.hasUnsafe();
    }

    /** The head as bytes, in a direct or a heap buffer from {@code alloc}, which the caller owns (and writes). */
    ByteBuf encode(ByteBufAllocator alloc, boolean direct) {
        ByteBuf out = direct ? alloc.directBuffer(INITIAL_CAPACITY) : alloc.heapBuffer(INITIAL_CAPACITY);
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
