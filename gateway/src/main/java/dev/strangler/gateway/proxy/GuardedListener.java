package dev.strangler.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.http.HttpConnection;

/** Puts a {@link FramingGuard} first on every connection the user listener accepts. */
final class GuardedListener {
    private GuardedListener() {}

    /**
     * Makes sure every connection the listener accepts from now on gets a guard as its first
     * handler, and says whether {@code connection} itself has one from its first byte.
     *
     * <p>Why so roundabout: Vert.x has no public hook into a connection's pipeline, and it calls the
     * connection handler only after the first bytes went to its decoder (the h2c and ALPN detection
     * configure the pipeline as those bytes arrive), so a guard added there would miss the first
     * request. A handler on the listening channel instead sees each accepted channel before Vert.x
     * initialises it. The channels are reached through the connection's implementation class
     * ({@code ConnectionBase}); {@code StrictParsingTest} fails if a Vert.x upgrade moves it.
     * {@link dev.strangler.gateway.Gateway#start} primes this with one empty connection, so every
     * user connection is guarded; a connection that still has none (one that raced the priming) is
     * closed by the caller rather than served unguarded.
     */
    static boolean install(HttpConnection connection) {
        if (!(connection instanceof io.vertx.core.net.impl.ConnectionBase base)) return false;
        Channel channel = base.channel();
        Channel listener = channel.parent();
        if (listener != null) {
            synchronized (listener) {
                if (listener.pipeline().get(OnAccept.class) == null) listener.pipeline().addFirst("stranglerGuardOnAccept", new OnAccept());
            }
        }
        return channel.pipeline().get(FramingGuard.class) != null;
    }

    /** On the listening channel: gives each accepted channel a guard before Vert.x sets it up. */
    @ChannelHandler.Sharable
    private static final class OnAccept extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel accepted) accepted.pipeline().addFirst(FramingGuard.NAME, new FramingGuard());
            ctx.fireChannelRead(msg);
        }
    }
}
