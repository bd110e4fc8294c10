package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Puts the gateway's own version on the status line of an answer to a request Netty's decoder could
 * not read. Vert.x writes a response on the version of the request it answers, and of such a request
 * it knows only what the decoder made of it: {@code HTTP/1.0} when the decoder read no request line
 * (its placeholder, {@code GET /bad-request HTTP/1.0}, for a line too long), or whatever text stood
 * where the version goes when that parsed as one ({@code HTTX/1.1}, in a head too large for
 * {@link FramingGuard} to judge). RFC 9112 §2.3: a server sends the highest minor version it conforms
 * to, so an HTTP/1.1 client gets {@code HTTP/1.1}; an HTTP/1.0 client reads it too, as the answer
 * carries its length and {@code Connection: close}. NGINX answers every such error on {@code HTTP/1.1}.
 *
 * <p>Vert.x has no way to set a response's version, so the version is changed in the bytes its
 * encoder wrote, by the guard that sees them last ({@link FramingGuard#answerNextOnHttp11}).
 */
final class StatusLineVersion {
    private static final byte[] HTTP_1_1 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    /** Netty's decoder takes any {@code NAME/major.minor} for a version; longer text would not be one. */
    private static final int MAX_VERSION_LENGTH = 64;

    private StatusLineVersion() {}

    /**
     * {@code head}, the first bytes of a response head, on an {@code HTTP/1.1} status line: itself
     * when it is on one already (or starts with no version), else a copy with the version replaced,
     * {@code head} released.
     */
    static ByteBuf onHttp11(ByteBuf head, ByteBufAllocator alloc) {
        int at = head.readerIndex();
        int space = head.indexOf(at, Math.min(head.writerIndex(), at + MAX_VERSION_LENGTH + 1), (byte) ' ');
        if (space < 0 || isHttp11(head, at, space)) return head;
        int rest = head.writerIndex() - space;
        ByteBuf fixed = alloc.buffer(HTTP_1_1.length + rest).writeBytes(HTTP_1_1).writeBytes(head, space, rest);
        head.release();
        return fixed;
    }

    private static boolean isHttp11(ByteBuf head, int at, int space) {
        if (space - at != HTTP_1_1.length) return false;
        for (int i = 0; i < HTTP_1_1.length; i++) if (head.getByte(at + i) != HTTP_1_1[i]) return false;
        return true;
    }
}
