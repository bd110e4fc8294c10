package dev.strangler.gateway.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AnnouncedClose} on a real connection (Netty's client codec, as Vert.x's client sets it up): a
 * final answer read after the connection's output was shut down (what a failed write of the request
 * does once {@link ClientPipeline} turned auto-close off) says {@code close} first, whatever the backend
 * said, so Vert.x's client never pools that connection; an interim {@code 100} before it is left alone,
 * and so is an answer on a connection that can still send. What users see is in {@code EarlyRefusalTest}.
 */
class AnnouncedCloseOnShutOutputTest {
    private static final String KEEP_ALIVE_ANSWER = "HTTP/1.1 403 Forbidden\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n";

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    /** The {@code Connection} lines of each response head read, in order. */
    private final BlockingQueue<List<String>> connectionLines = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void anAnswerReadAfterTheOutputWasShutSaysCloseFirstAndAnInterimOneIsLeftAlone() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Channel channel = connect(backend.getLocalPort());
            try (Socket accepted = backend.accept()) {
                ((SocketChannel) channel).shutdownOutput().sync();
                write(accepted, "HTTP/1.1 100 Continue\r\n\r\n" + KEEP_ALIVE_ANSWER);

                assertThat(nextHead()).as("the 100").isEmpty();
                assertThat(nextHead()).as("the 403").containsExactly("close", "keep-alive");
            } finally {
                channel.close().sync();
            }
        }
    }

    @Test
    void anAnswerOnAConnectionThatCanStillSendKeepsWhatTheBackendSaid() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Channel channel = connect(backend.getLocalPort());
            try (Socket accepted = backend.accept()) {
                write(accepted, KEEP_ALIVE_ANSWER);

                assertThat(nextHead()).containsExactly("keep-alive");
            } finally {
                channel.close().sync();
            }
        }
    }

    private Channel connect(int port) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("codec", new HttpClientCodec()).addLast(AnnouncedClose.INSTANCE)
                                .addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof HttpResponse head) connectionLines.add(head.headers().getAll(HttpHeaderNames.CONNECTION));
                                        ReferenceCountUtil.release(msg);
                                    }
                                });
                    }
                })
                .connect(InetAddress.getLoopbackAddress(), port).sync().channel();
    }

    private List<String> nextHead() throws InterruptedException {
        List<String> lines = connectionLines.poll(10, TimeUnit.SECONDS);
        if (lines == null) throw new AssertionError("no response head was read within 10 s");
        return lines;
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }
}
