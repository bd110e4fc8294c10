package dev.strangler.gateway.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StrayBytes} on Netty's own client codec, as Vert.x's client sets it up: it reads the bytes
 * the decoder holds (Netty offers that to subclasses only, so a Netty upgrade that moves it fails
 * here), keeps a connection whose responses end where the bytes end, and leaves a switched
 * protocol's bytes alone. What the gateway's users see is in {@code BackendConnectionReuseTest}.
 */
class StrayBytesTest {
    private final HttpClientCodec codec = new HttpClientCodec();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    StrayBytesTest() {
        channel.pipeline().addLast("codec", codec).addLast(StrayBytes.watching(codec));
    }

    private void ask(HttpMethod method) {
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        ReferenceCountUtil.release(channel.readOutbound());
    }

    private void read(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    private int messagesRead() {
        int n = 0;
        Object m;
        while ((m = channel.readInbound()) != null) {
            ReferenceCountUtil.release(m);
            n++;
        }
        return n;
    }

    @Test
    void responsesThatEndWhereTheBytesEndKeepTheConnectionOpen() {
        for (int i = 0; i < 3; i++) {
            ask(HttpMethod.GET);
            read("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
            ask(HttpMethod.HEAD);
            read("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n");
        }
        assertThat(messagesRead()).isEqualTo(12);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aBodyAfterAHeadsAnswerIsSeenBeyondTheResponseWhichStillReachesTheClientWhole() {
        ask(HttpMethod.HEAD);
        read("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        assertThat((Object) channel.readInbound()).isInstanceOf(HttpResponse.class);
        assertThat((Object) channel.readInbound()).isInstanceOf(LastHttpContent.class);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void bytesReadWhileIdleCloseTheConnection() {
        ask(HttpMethod.GET);
        read("HTTP/1.1 204 No Content\r\n\r\n");
        assertThat(channel.isOpen()).isTrue();
        read("late");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aSwitchedProtocolsBytesAreLeftAlone() {
        ask(HttpMethod.GET);
        read("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n\u0081\u0002hi");
        read("\u0081\u0002hi");
        assertThat(messagesRead()).isGreaterThanOrEqualTo(3);
        assertThat(channel.isOpen()).isTrue();
    }
}
