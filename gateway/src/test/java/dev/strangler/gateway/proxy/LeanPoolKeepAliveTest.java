package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.HeaderFields;
import io.netty.channel.Channel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.resolver.DefaultAddressResolverGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lean pool closes a connection left idle for its keep-alive timeout, as Vert.x's HttpClient
 * does after 60 s, so a quiet route does not hold a backend's connections for ever; one reused
 * within the timeout stays open.
 */
class LeanPoolKeepAliveTest {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);

    @AfterEach
    void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionIdleForTheKeepAliveTimeoutIsClosedAndOneInUseIsNot() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            LeanLoop loop = new LeanLoop(group.next(), NioSocketChannel::new, DefaultAddressResolverGroup.INSTANCE);
            long keepAlive = TimeUnit.MILLISECONDS.toNanos(300);
            LeanPool pool = onLoop(loop, () -> new LeanPool(loop, "127.0.0.1", backend.getLocalPort(), 4, 2_000, keepAlive));

            Channel first = acquire(loop, pool);
            try (Socket accepted = backend.accept()) {
                onLoop(loop, () -> { pool.release(first, true); return null; });
                // Reused within the timeout: the same connection, still open.
                Thread.sleep(100);
                Channel again = acquire(loop, pool);
                assertThat(again).isSameAs(first);
                onLoop(loop, () -> { pool.release(again, true); return null; });

                accepted.setSoTimeout(5_000);
                long idleFrom = System.nanoTime();
                assertThat(accepted.getInputStream().read()).as("end of stream: the pool closed it").isEqualTo(-1);
                assertThat(System.nanoTime() - idleFrom).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
                assertThat(onLoop(loop, pool::openConnections)).isZero();
            }
        }
    }

    private static Channel acquire(LeanLoop loop, LeanPool pool) throws Exception {
        CompletableFuture<Channel> connected = new CompletableFuture<>();
        loop.eventLoop().execute(() -> pool.acquire(new LeanPool.LeanCall() {
            @Override
            public void connected(Channel ch) {
                connected.complete(ch);
            }

            @Override
            public void connectFailed(Throwable cause) {
                connected.completeExceptionally(cause);
            }

            @Override
            public void interim(int status, HttpHeaders headers) {
            }

            @Override
            public void head(int status, String reason, HttpHeaders headers, HeaderFields fields, int connectionLines, boolean keepAlive) {
            }

            @Override
            public void content(ByteBuf bytes, boolean last) {
                bytes.release();
            }

            @Override
            public void broke(Throwable cause) {
            }
        }));
        return connected.get(5, TimeUnit.SECONDS);
    }

    private static <T> T onLoop(LeanLoop loop, java.util.concurrent.Callable<T> work) throws Exception {
        return loop.eventLoop().submit(work).get(5, TimeUnit.SECONDS);
    }

}
