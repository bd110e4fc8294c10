package dev.strangler.bench.floor;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The raw Netty floor: {@link HttpServerCodec} (no aggregator) towards the client, a {@link BackendPool} of
 * {@code HttpClientCodec} connections on the same single event loop towards the backend, and
 * {@link Relay} passing the decoded request and response objects through with the header edits. This is
 * the least any Netty-based proxy can do per request.
 */
final class NettyFloor {
    /** Like NGINX's {@code upstream { keepalive 64; }} in bench/proxy.sh. */
    static final int MAX_IDLE_BACKEND_CONNECTIONS = 64;

    private NettyFloor() {
    }

    /** The native transport when the platform has it, as Vert.x's {@code preferNativeTransport} picks. */
    private record Transport(String name, IoHandlerFactory io, ChannelFactory<? extends ServerChannel> servers,
            ChannelFactory<? extends Channel> clients) {
        static Transport best() {
            return Epoll.isAvailable()
                    ? new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel::new, EpollSocketChannel::new)
                    : new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel::new, NioSocketChannel::new);
        }
    }

    static Floor.Running start(Floor.Settings settings, AccessLog log) {
        return NettyFloor.<HttpObject>serve(settings, BackendPool.HTTP_CODEC,
                pool -> new ChannelHandler[] {new HttpServerCodec(), new Relay(pool, log)});
    }

    /**
     * A raw Netty server on one event loop with a {@link BackendPool} on the same loop (its connections' reads
     * passed through {@code backendCodec}); each client connection's pipeline is what {@code clientPipeline} makes.
     * The raw Netty floors differ only in these two.
     */
    static <M> Floor.Running serve(Floor.Settings settings, Supplier<ChannelHandler[]> backendCodec,
            Function<BackendPool<M>, ChannelHandler[]> clientPipeline) {
        Transport transport = Transport.best();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.io());
        try {
            var pool = new BackendPool<M>(group.next(), transport.clients(), settings.backend(), MAX_IDLE_BACKEND_CONNECTIONS,
                    backendCodec);
            Channel server = new ServerBootstrap().group(group).channelFactory(transport.servers())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(clientPipeline.apply(pool));
                        }
                    })
                    .bind(settings.listen()).syncUninterruptibly().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            return Floor.running(port, transport.name(), () -> {
                server.close().syncUninterruptibly();
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            });
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }
}
