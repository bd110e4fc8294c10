package dev.strangler.gateway.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;

import java.util.List;

/**
 * Makes Vert.x's HTTP client see a backend's {@code close} wherever its {@code Connection} header
 * lists it. RFC 9110 §7.6.1: {@code Connection} is a list, on one line or several; RFC 9112 §9.6: a
 * client that reads {@code close} sends no further request on that connection. Vert.x's client reads
 * only the first line's whole value, exactly ({@code "close"}), so {@code Connection: keep-alive, close}
 * or a second {@code Connection: close} line left the connection pooled: the next request went to a
 * backend that had said it would close, and failed or was lost. (Not a prefix either way: Vert.x's
 * {@code MultiMap.contains(name, value, true)}, which matches an element that is a prefix of the value,
 * so that {@code clo} would count as {@code close}, is not what its client uses here.) The lean client
 * reads the tokens itself ({@link BackendHead}), so it needs none of this.
 *
 * <p>Such a head gets a first {@code Connection} line that says exactly {@code close}, its own lines
 * kept after it: the names they list are still dropped from what is relayed ({@link ProxyHeaders}).
 * {@link ClientPipeline} puts it on each HTTP/1.x backend connection, after the codec.
 *
 * <p>A final answer read after the connection's output was shut down gets that line too, whatever the
 * backend said: a write of the request failed there (a backend that answered early, then reset the
 * connection with the body unread), and {@link ClientPipeline} has such a failure shut only the output
 * so that the answer can still be read. Nothing more can be sent on that connection, so it must not go
 * back to the pool, where Vert.x's client would give it the next request (a 502). An interim
 * {@code 1xx} (a {@code 100}, or the {@code 101} of a tunnel) is left alone: the answer that counts
 * comes after it.
 */
@ChannelHandler.Sharable
final class AnnouncedClose extends ChannelInboundHandlerAdapter {
    static final AnnouncedClose INSTANCE = new AnnouncedClose();

    private AnnouncedClose() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse head) {
            if (isFinal(head) && isOutputShut(ctx)) sayClose(head.headers());
            else sayCloseFirst(head.headers());
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isOutputShut(ChannelHandlerContext ctx) {
        return ctx.channel() instanceof DuplexChannel duplex && duplex.isOutputShutdown();
    }

    private static boolean isFinal(HttpResponse head) {
        return head.status().codeClass() != HttpStatusClass.INFORMATIONAL;
    }

    /** Puts an exact {@code close} first when a line lists it as a token, but the first line is not exactly that. */
    static void sayCloseFirst(HttpHeaders headers) {
        String first = headers.get(HttpHeaderNames.CONNECTION);
        if (first == null || first.equalsIgnoreCase("close")) return;
        if (listsClose(headers.getAll(HttpHeaderNames.CONNECTION))) sayClose(headers);
    }

    /** Puts an exact {@code close} first unless it is there already, the head's own lines kept after it. */
    static void sayClose(HttpHeaders headers) {
        String first = headers.get(HttpHeaderNames.CONNECTION);
        if (first != null && first.equalsIgnoreCase("close")) return;
        List<String> lines = headers.getAll(HttpHeaderNames.CONNECTION);
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.add(HttpHeaderNames.CONNECTION, "close");
        for (String line : lines) headers.add(HttpHeaderNames.CONNECTION, line);
    }

    private static boolean listsClose(List<String> lines) {
        for (String line : lines) {
            for (String element : line.split(",", -1)) if (element.strip().equalsIgnoreCase("close")) return true;
        }
        return false;
    }
}
