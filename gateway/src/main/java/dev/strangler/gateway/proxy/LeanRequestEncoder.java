package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.CharsetUtil;

import java.util.Iterator;
import java.util.Map;

/**
 * Writes a bodiless request's head for {@link LeanPool}: the bytes Netty's {@code HttpRequestEncoder}
 * writes for it, into a heap buffer in one pass.
 *
 * <p>Why not the encoder: it writes header text into a direct buffer a byte at a time, and without
 * {@code sun.misc.Unsafe} (Netty's default from JDK 25) each of those writes is a checked memory-segment
 * access; the encoder also sizes, frames and dispatches for bodies this path never has. A heap
 * buffer takes plain array stores, and the transport copies it to native memory once, in bulk.
 * {@code LeanRequestEncoderTest} checks the bytes against Netty's encoder.
 *
 * <p>Same rules as the encoder for an origin-form target (the only form {@link OutboundRequest#uri}
 * makes): the request line is {@code METHOD SP request-target SP HTTP-version} (an empty target
 * written as {@code /}, the target in UTF-8); each header is
 * {@code name: value} with characters above U+00FF written as {@code ?}, as Netty's US-ASCII
 * writing does; no framing header is added, since the request has no content.
 */
final class LeanRequestEncoder {
    private static final int CRLF = ('\r' << 8) | '\n';
    private static final int COLON_SPACE = (':' << 8) | ' ';
    /** Enough for a typical head with forwarding headers; the buffer grows for a longer one. */
    private static final int INITIAL_CAPACITY = 512;

    private LeanRequestEncoder() {}

    /** The head of {@code request} as bytes, in a buffer from {@code alloc} the caller owns (and writes). */
    static ByteBuf encode(HttpRequest request, ByteBufAllocator alloc) {
        ByteBuf out = alloc.heapBuffer(INITIAL_CAPACITY);
        try {
            out.writeCharSequence(request.method().asciiName(), CharsetUtil.US_ASCII);
            out.writeByte(' ');
            String uri = request.uri();
            if (uri.isEmpty()) out.writeByte('/');
            else out.writeCharSequence(uri, CharsetUtil.UTF_8);
            out.writeByte(' ');
            out.writeCharSequence(request.protocolVersion().text(), CharsetUtil.US_ASCII);
            out.writeShort(CRLF);
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = request.headers().iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> header = it.next();
                out.writeCharSequence(header.getKey(), CharsetUtil.US_ASCII);
                out.writeShort(COLON_SPACE);
                out.writeCharSequence(header.getValue(), CharsetUtil.US_ASCII);
                out.writeShort(CRLF);
            }
            out.writeShort(CRLF);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
