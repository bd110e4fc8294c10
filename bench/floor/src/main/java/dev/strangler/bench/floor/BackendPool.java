package dev.strangler.bench.floor;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Keep-alive HTTP/1.1 connections to the backend, opened on one event loop and used only from it, so
 * nothing here is shared between threads and nothing locks.
 *
 * <p>A connection serves one {@link Exchange} at a time: {@link #acquire} hands it over (at once when
 * an idle one is open, after the connect otherwise) and every response object read from it goes to
 * that exchange, which owns the object. {@link #release} ends the exchange: a connection that may be
 * reused goes back on the idle stack (most recent first, so the warm ones stay warm), up to
 * {@code maxIdle} like NGINX's {@code keepalive 64}; any other is closed. An idle connection the
 * backend closes is dropped from the stack.
 *
 * <p>What a connection reads reaches the exchange as {@code M}: the objects of the decoders {@code codec}
 * puts in front of the exchange ({@code HttpClientCodec}'s {@code HttpObject}s for the Netty floors), or
 * the socket's {@code ByteBuf}s when it puts none ({@link OwnFloor}).
 *
 * @param <M> what the exchange is given of each read
 */
final class BackendPool<M> {
    /** The user of a backend connection, called on the pool's event loop. */
    interface Exchange<M> {
        /** The connection is the exchange's until it calls {@link BackendPool#release}. */
        void onBackendReady(Channel backend);

        /** What was read (a response object, or bytes); the exchange owns it and releases it. */
        void onBackendMessage(M message);

        /** The backend's read ended: a good moment to flush what was written to the client. */
        void onBackendReadComplete();

        /** No connection (connect failed) or the connection broke before the exchange released it. */
        void onBackendFailure(Throwable cause);
    }

    /** Netty's HTTP/1.1 client codec in front of the exchange, which is given {@code HttpObject}s. */
    static final Supplier<ChannelHandler[]> HTTP_CODEC = () -> new ChannelHandler[] {new HttpClientCodec()};
    /** Nothing in front of the exchange, which is given the socket's {@code ByteBuf}s. */
    static final Supplier<ChannelHandler[]> NO_CODEC = () -> new ChannelHandler[0];

    private final EventLoop loop;
    private final SocketAddress backend;
    private final int maxIdle;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();

    /** A pool whose connections pass each read through the handlers {@code codec} makes per connection (none: bytes). */
    BackendPool(EventLoop loop, ChannelFactory<? extends Channel> channels, SocketAddress backend, int maxIdle,
            Supplier<ChannelHandler[]> codec) {
        this.loop = loop;
        this.backend = backend;
        this.maxIdle = maxIdle;
        this.bootstrap = new Bootstrap().group(loop).channelFactory(channels)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(codec.get()).addLast(new Link<>(BackendPool.this));
                    }
                });
    }

    /** Gives {@code exchange} a connection: an idle one now, or a new one once connected. On the pool's loop only. */
    void acquire(Exchange<M> exchange) {
        assert loop.inEventLoop();
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            if (ch.isActive()) {
                linkOf(ch).exchange = exchange;
                exchange.onBackendReady(ch);
                return;
            }
        }
        bootstrap.connect(backend).addListener(f -> {
            var connect = (io.netty.channel.ChannelFuture) f;
            if (connect.isSuccess()) {
                linkOf(connect.channel()).exchange = exchange;
                exchange.onBackendReady(connect.channel());
            } else {
                exchange.onBackendFailure(connect.cause());
            }
        });
    }

    /** Ends the current exchange on {@code ch}: back to the idle stack when {@code reusable}, closed otherwise. */
    void release(Channel ch, boolean reusable) {
        linkOf(ch).exchange = null;
        if (reusable && ch.isActive() && idle.size() < maxIdle) {
            ch.config().setAutoRead(true);
            idle.addFirst(ch);
        } else {
            ch.close();
        }
    }

    @SuppressWarnings("unchecked")
    private Link<M> linkOf(Channel ch) {
        return (Link<M>) ch.pipeline().last();
    }

    /** The last handler of a backend connection: passes what it reads to the connection's current exchange. */
    private static final class Link<M> extends ChannelInboundHandlerAdapter {
        private final BackendPool<M> pool;
        Exchange<M> exchange;

        Link(BackendPool<M> pool) {
            this.pool = pool;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (exchange == null) { // nothing was asked: a stray response cannot be matched to a request
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            exchange.onBackendMessage((M) msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (exchange != null) exchange.onBackendReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Exchange<M> broken = exchange;
            exchange = null;
            if (broken != null) broken.onBackendFailure(new IOException("backend closed the connection"));
            else pool.idle.remove(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // channelInactive tells the exchange
        }
    }
}
