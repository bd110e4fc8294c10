package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Vert.x internals the lean backend client stands on ({@link NettyBridge}): when a Vert.x
 * upgrade moves or changes one of them, this fails before the gateway does.
 */
class NettyBridgeTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aContextsNettyEventLoopIsTheThreadItsTasksRunOn() throws Exception {
        Context context = vertx.getOrCreateContext();
        EventLoop loop = NettyBridge.eventLoop(context);
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        context.runOnContext(v -> onLoop.complete(loop.inEventLoop()));

        assertThat(onLoop.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theTransportsChannelsAndResolverCanBeHadForThatLoop() {
        Channel ch = NettyBridge.channelFactory(vertx).newChannel();
        try {
            assertThat(ch.isOpen()).isTrue();
        } finally {
            ch.unsafe().closeForcibly(); // never registered: nothing to close on a loop
        }
        assertThat(NettyBridge.resolver(vertx)).isNotNull();
    }

    @Test
    void headersTheDecoderMakesAreVertxHeadersWithoutACopy() {
        io.netty.handler.codec.http.HttpHeaders decoded = NettyBridge.HEADERS.newHeaders().add("X-Two", "2");
        assertThat(NettyBridge.asMultiMap(decoded)).isSameAs(decoded);
        assertThat(NettyBridge.asMultiMap(decoded).get("x-two")).isEqualTo("2");
    }

    /** The lean client decodes a backend's head straight into the client's response headers: they must be Netty's. */
    @Test
    void anHttp1ServerResponsesHeadersAreNettyHeadersADecoderCanFill() throws Exception {
        CompletableFuture<Boolean> same = new CompletableFuture<>();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            MultiMap headers = request.response().headers();
            io.netty.handler.codec.http.HttpHeaders netty = NettyBridge.asNettyHeaders(headers);
            if (netty != null) netty.add("X-Filled", "by the decoder");
            same.complete(netty == headers && "by the decoder".equals(headers.get("x-filled")));
            request.response().end();
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        try (Socket client = new Socket("127.0.0.1", server.actualPort())) {
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(same.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aWrappedBufferSharesTheBytesAndLeavesTheReferenceToTheCaller() {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes("hello".getBytes());
        try {
            Buffer wrapped = NettyBridge.wrap(pooled);
            pooled.setByte(0, 'j');

            assertThat(wrapped.toString()).isEqualTo("jello");
            assertThat(pooled.refCnt()).isEqualTo(1);
        } finally {
            pooled.release();
        }
    }

    @Test
    void theSwitchTurnsTheLeanPathOffOnlyWhenSetToFalse() {
        String before = System.getProperty(LeanLoop.SWITCH);
        try {
            System.clearProperty(LeanLoop.SWITCH);
            assertThat(LeanLoop.isEnabled()).isTrue();
            System.setProperty(LeanLoop.SWITCH, "false");
            assertThat(LeanLoop.isEnabled()).isFalse();
            assertThat(LeanLoop.of(vertx, vertx.getOrCreateContext())).isEmpty();
        } finally {
            if (before == null) System.clearProperty(LeanLoop.SWITCH);
            else System.setProperty(LeanLoop.SWITCH, before);
        }
    }
}
