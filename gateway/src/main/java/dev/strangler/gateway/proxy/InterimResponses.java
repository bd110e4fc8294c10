package dev.strangler.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a backend's interim responses that the HTTP client does not know from being taken for the
 * final one. Vert.x's client understands {@code 100 Continue} and {@code 103 Early Hints} (relayed
 * by {@link Exchange}) and {@code 101}; any other {@code 1xx} ({@code 102 Processing}, future codes)
 * it would hand over as the response, losing the real one that follows. RFC 9110 §15.2: a client
 * must accept and ignore interim responses it does not understand — so they are dropped here, on
 * the connection, before the client sees them.
 *
 * <p>The HTTP client offers no public hook into its connection's pipeline, so this reaches the
 * Netty channel through Vert.x's connection class. Should that class change, {@link #install} logs
 * once and does nothing: the gateway keeps working, only with Vert.x's own handling of {@code 1xx}.
 */
final class InterimResponses extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(InterimResponses.class);
    private static volatile boolean warned;

    /** Whether the rest of a dropped interim response (its empty last content) is still to come. */
    private boolean dropping;

    /** Adds the filter to a freshly connected HTTP/1.x backend connection. */
    static void install(HttpConnection connection) {
        if (!(connection instanceof io.vertx.core.net.impl.ConnectionBase base)) {
            warnOnce(connection.getClass().getName());
            return;
        }
        ChannelPipeline pipeline = base.channel().pipeline();
        if (pipeline.get("codec") == null || pipeline.get(InterimResponses.class) != null) return; // HTTP/2, or done
        pipeline.addAfter("codec", "strangler-interim-responses", new InterimResponses());
    }

    private static void warnOnce(String type) {
        if (warned) return;
        warned = true;
        LOG.warn("backend connections are of an unexpected type ({}): interim 1xx responses other than 100 and 103 "
                + "are left to the HTTP client", type);
    }

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
