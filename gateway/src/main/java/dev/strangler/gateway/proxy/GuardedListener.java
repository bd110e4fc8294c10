package dev.strangler.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Puts a {@link FramingGuard} first on every connection the user listener accepts, with a deadline
 * for the connection to be handed over to Vert.x (see {@link FirstHeadDeadline}).
 */
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
    static boolean install(HttpConnection connection, long headerTimeoutMillis, OwnServer ownServer) {
        if (!(connection instanceof io.vertx.core.net.impl.ConnectionBase base)) return false;
        Channel channel = base.channel();
        Channel listener = channel.parent();
        if (listener != null) {
            synchronized (listener) {
                if (listener.pipeline().get(OnAccept.class) == null) {
                    listener.pipeline().addFirst("stranglerGuardOnAccept", new OnAccept(headerTimeoutMillis, ownServer));
                }
            }
        }
        // Handed over: from here HeadDeadlines (and the idle timeout) watch the connection.
        if (channel.pipeline().get(FirstHeadDeadline.class) != null) channel.pipeline().remove(FirstHeadDeadline.class);
        return channel.pipeline().get(FramingGuard.class) != null;
    }

    /**
     * Asks the connection's guard whether {@code request}, its next HTTP/1.x request, is the synthetic
     * one standing for a request the guard refused: an attribute read on the channel, no header lookup.
     * Null for HTTP/2 (no guard reads its streams) and for a request the guard did not refuse.
     */
    static dev.strangler.core.http.Rejection refusalOfNextRequest(HttpServerRequest request) {
        FramingGuard guard = guardOf(request);
        return guard == null ? null : guard.refusalOfNextRequest();
    }

    /**
     * Makes the answer to {@code request}, one the decoder could not read, go out on an {@code HTTP/1.1}
     * status line ({@link StatusLineVersion}); nothing for a connection without a guard.
     */
    static void answerOnHttp11(HttpServerRequest request) {
        FramingGuard guard = guardOf(request);
        if (guard != null) guard.answerNextOnHttp11();
    }

    /**
     * Whether {@code request} came on a connection with a guard: every user connection over HTTP/1.x,
     * and none of those {@link #install} refused (the start-up priming's, closed unserved).
     */
    static boolean isGuarded(HttpServerRequest request) {
        return guardOf(request) != null;
    }

    /**
     * The refusal of {@code request}'s body by its connection's guard, found after the head was
     * forwarded (the guard then closed the connection): null when there was none, and for HTTP/2.
     * Asked only once the request's client went away.
     */
    static dev.strangler.core.http.Rejection refusalOfBody(HttpServerRequest request) {
        FramingGuard guard = guardOf(request);
        return guard == null ? null : guard.bodyRefusalOfLatestRequest();
    }

    /** The guard of an HTTP/1.x request's connection; null for HTTP/2 (no guard reads its streams). */
    private static FramingGuard guardOf(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) return null;
        if (!(request.connection() instanceof io.vertx.core.net.impl.ConnectionBase base)) return null;
        return base.channel().attr(FramingGuard.KEY).get();
    }

    /**
     * The own server of {@code connection}'s channel ({@link OwnConnection}), or null: none installed
     * (the switch is off, or TLS), or not a connection of the listener.
     */
    static OwnConnection ownServerOf(HttpConnection connection) {
        if (!(connection instanceof io.vertx.core.net.impl.ConnectionBase base)) return null;
        return OwnConnection.of(base.channel());
    }

    /**
     * On the listening channel: gives each accepted channel a guard before Vert.x sets it up, and,
     * when the own server is on, an {@link OwnConnection} right behind the guard.
     */
    @ChannelHandler.Sharable
    private static final class OnAccept extends ChannelInboundHandlerAdapter {
        private final long headerTimeoutMillis;
        private final OwnServer ownServer;

        OnAccept(long headerTimeoutMillis, OwnServer ownServer) {
            this.headerTimeoutMillis = headerTimeoutMillis;
            this.ownServer = ownServer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel accepted) {
                boolean own = ownServer.isEnabled();
                accepted.pipeline().addFirst(FramingGuard.NAME, new FramingGuard(own));
                if (own) accepted.pipeline().addAfter(FramingGuard.NAME, OwnConnection.NAME, new OwnConnection(ownServer));
                accepted.pipeline().addFirst(FirstHeadDeadline.NAME, new FirstHeadDeadline(headerTimeoutMillis));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Closes a connection that Vert.x has not taken over within {@code client.header-timeout} of
     * its accept. On a cleartext listener that also speaks h2c, Vert.x takes a connection over only
     * once its first request head is whole (it must tell HTTP/1.1 from h2c), and over TLS once the
     * handshake is done, so before this deadline a slowloris's first head, or a stalled handshake,
     * was bounded by nothing. Removed (and its timer cancelled) at the hand-over.
     */
    static final class FirstHeadDeadline extends ChannelInboundHandlerAdapter {
        static final String NAME = "stranglerFirstHeadDeadline";
        private final long millis;
        private ScheduledFuture<?> timer;

        FirstHeadDeadline(long millis) {
            this.millis = millis;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            timer = ctx.executor().schedule(() -> {
                ctx.channel().close();
            }, Math.max(1, millis), TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (timer != null) timer.cancel(false);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timer != null) timer.cancel(false);
            ctx.fireChannelInactive();
        }
    }
}
