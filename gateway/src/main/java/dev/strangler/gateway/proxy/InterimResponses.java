package dev.strangler.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Keeps a backend's interim responses that the HTTP client does not know from being taken for the
 * final one. Vert.x's client understands {@code 100 Continue} and {@code 103 Early Hints} (relayed
 * by {@link Exchange}) and {@code 101}; any other {@code 1xx} ({@code 102 Processing}, future codes)
 * it would hand over as the response, losing the real one that follows. RFC 9110 §15.2: a client
 * must accept and ignore interim responses it does not understand — so they are dropped here, on
 * the connection, before the client sees them ({@link ClientPipeline} puts it there).
 */
final class InterimResponses extends ChannelInboundHandlerAdapter {
    /** Whether the rest of a dropped interim response (its empty last content) is still to come. */
    private boolean dropping;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse head && isUnknownInterim(head.status().code())) {
            dropping = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        if (dropping && msg instanceof HttpContent content) {
            if (content instanceof LastHttpContent) dropping = false;
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    static boolean isUnknownInterim(int status) {
        return status >= 100 && status < 200 && status != 100 && status != 101 && status != 103;
    }
}
