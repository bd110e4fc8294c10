package dev.strangler.bench.floor;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;

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
 */
final class BackendPool {
    /** The user of a backend connection, called on the pool's event loop. */
    interface Exchange {
        /** The connection is the exchange's until it calls {@link BackendPool#release}. */
        void onBackendReady(Channel backend);

        /** A response object (head, content, last content); the exchange owns it. */
        void onBackendMessage(HttpObject message);

        /** The backend's read ended: a good moment to flush what was written to the client. */
        void onBackendReadComplete();

        /** No connection (connect failed) or the connection broke before the exchange released it. */
        void onBackendFailure(Throwable cause);
    }

    private final EventLoop loop;
    private final SocketAddress backend;
    private final int maxIdle;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();

    BackendPool(EventLoop loop, ChannelFactory<? extends Channel> channels, SocketAddress backend, int maxIdle) {
        this.loop = loop;
        this.backend = backend;
        this.maxIdle = maxIdle;
        this.bootstrap = new Bootstrap().group(loop).channelFactory(channels)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new Link(BackendPool.this));
                    }
                });
    }

    /** Gives {@code exchange} a connection: an idle one now, or a new one once connected. On the pool's loop only. */
    void acquire(Exchange exchange) {
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

    private static Link linkOf(Channel ch) {
        return (Link) ch.pipeline().last();
    }

    /** The last handler of a backend connection: passes what it reads to the connection's current exchange. */
    private static final class Link extends ChannelInboundHandlerAdapter {
        private final BackendPool pool;
        Exchange exchange;

        Link(BackendPool pool) {
            this.pool = pool;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (exchange == null) { // nothing was asked: a stray response cannot be matched to a request
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            exchange.onBackendMessage((HttpObject) msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (exchange != null) exchange.onBackendReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Exchange broken = exchange;
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
