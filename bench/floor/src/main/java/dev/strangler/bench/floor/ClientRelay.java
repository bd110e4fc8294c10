package dev.strangler.bench.floor;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;

/**
 * What the raw Netty floors' client-connection handlers ({@link Relay}, {@link OwnRelay}) share: the backend pool
 * and access log they were given, their context, the client's address for the log line, the backend connection
 * of the exchange in flight, and back-pressure (a client that cannot take more stops the backend's reads).
 *
 * @param <M> what the backend pool gives the exchange of each read
 */
abstract class ClientRelay<M> extends ChannelDuplexHandler implements BackendPool.Exchange<M> {
    final BackendPool<M> pool;
    final AccessLog log;
    ChannelHandlerContext ctx;
    /** The client's address as the access log writes it. */
    String client = "-";
    /** The backend connection of the exchange in flight; null while there is none or it is not ready. */
    Channel backend;

    ClientRelay(BackendPool<M> pool, AccessLog log) {
        this.pool = pool;
        this.log = log;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) client = a.getAddress().getHostAddress();
        ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (backend != null) backend.config().setAutoRead(ctx.channel().isWritable()); // a slow client slows the backend read
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
