package dev.strangler.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xOrH2CHandler;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.VertxHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EarlyHttp1Codec} on Vert.x's real h2c listener: the protocol detector that waits for a
 * connection's first bytes is told HTTP/1.1 without any, Vert.x's plain socket (and its 1,024-slot
 * inbound queue) leaves the pipeline for Vert.x's HTTP/1.1 connection, the listener's connection
 * handler is called, and the connection then serves HTTP/1.1 as one Vert.x detected itself. Fails
 * when a Vert.x upgrade moves what the class reaches by reflection.
 */
class EarlyHttp1CodecTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWaitingDetectorIsToldHttp11AndTheConnectionServesHttp11() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        BlockingQueue<HttpConnection> connected = new LinkedBlockingQueue<>();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true).setHost("127.0.0.1").setPort(0))
                .connectionHandler(c -> {
                    connections.incrementAndGet();
                    connected.add(c);
                })
                .requestHandler(r -> r.response().end("served " + r.path()));
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        // A first connection, served as usual, leads to the listening channel, where each later
        // accepted channel is caught before Vert.x sets it up (as GuardedListener does).
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        try (Socket first = new Socket(InetAddress.getLoopbackAddress(), server.actualPort())) {
            assertThat(exchange(first, "/first")).endsWith("served /first");
            Channel listener = ((ConnectionBase) connected.poll(5, TimeUnit.SECONDS)).channel().parent();
            // On the listener's loop, so the handler is in place before the next accept is read.
            listener.eventLoop().submit(() -> listener.pipeline().addFirst(new CatchAccepted(accepted))).get(5, TimeUnit.SECONDS);
        }

        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.actualPort())) {
            Channel channel = accepted.poll(5, TimeUnit.SECONDS);
            assertThat(channel).isNotNull();
            // Caught before registration: Vert.x sets the channel up once it is on its event loop.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!(channel.isRegistered() && channel.pipeline().get(Http1xOrH2CHandler.class) != null) && System.nanoTime() < deadline)
                Thread.sleep(5);
            int before = connections.get();
            boolean[] waited = new boolean[1];
            Object[] handlerAfter = new Object[1];
            boolean setUp = onLoop(channel, () -> {
                waited[0] = channel.pipeline().get(Http1xOrH2CHandler.class) != null
                        && connectionOf(channel) instanceof NetSocket;
                boolean done = EarlyHttp1Codec.setUp(channel.pipeline());
                handlerAfter[0] = connectionOf(channel);
                return done;
            });

            assertThat(waited[0]).as("before: Vert.x's detector and plain socket wait for the first bytes").isTrue();
            assertThat(setUp).isTrue();
            assertThat(channel.pipeline().get(Http1xOrH2CHandler.class)).as("the detector is gone").isNull();
            assertThat(handlerAfter[0]).as("Vert.x's HTTP/1.1 connection replaced the socket")
                    .isInstanceOf(HttpConnection.class).isNotInstanceOf(NetSocket.class);
            assertThat(connections.get()).as("the listener's connection handler was called").isEqualTo(before + 1);
            assertThat(onLoop(channel, () -> EarlyHttp1Codec.setUp(channel.pipeline()))).as("in place already: nothing left to set up").isTrue();

            assertThat(exchange(client, "/second")).startsWith("HTTP/1.1 200").endsWith("served /second");
            assertThat(exchange(client, "/third")).startsWith("HTTP/1.1 200").endsWith("served /third");
        }
    }

    private static Object connectionOf(Channel channel) {
        ChannelHandler handler = channel.pipeline().get("handler");
        return handler instanceof VertxHandler<?> vertxHandler ? vertxHandler.getConnection() : null;
    }

    private static <T> T onLoop(Channel channel, java.util.concurrent.Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(5, TimeUnit.SECONDS);
    }

    /** One GET and its whole answer (head and a body of the length it announced). */
    private static String exchange(Socket socket, String path) throws Exception {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: shop\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
        String lower = head.toString().toLowerCase();
        int at = lower.indexOf("content-length:");
        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
        return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    @ChannelHandler.Sharable
    private static final class CatchAccepted extends ChannelInboundHandlerAdapter {
        private final BlockingQueue<Channel> accepted;

        CatchAccepted(BlockingQueue<Channel> accepted) {
            this.accepted = accepted;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel channel) accepted.add(channel);
            ctx.fireChannelRead(msg);
        }
    }
}
