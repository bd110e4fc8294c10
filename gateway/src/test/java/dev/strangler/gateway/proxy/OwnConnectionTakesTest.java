package dev.strangler.gateway.proxy;

import dev.strangler.core.config.ClientTimeouts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests the own server path serves itself and which it hands to Vert.x's codec, seen where
 * the choice is made: a guard and an {@link OwnConnection} on a channel, as {@link GuardedListener}
 * installs them. A request the own path takes reaches the verticle's handler as an {@link OwnRequest};
 * one it does not take comes out of the pipeline as its bytes, for Vert.x to decode. (The end-to-end
 * suites run over both paths and show they answer alike; this shows which path answered.)
 */
class OwnConnectionTakesTest {
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** What the channel did with one request's bytes: the requests the own path served, the messages passed on to Vert.x. */
    private record Taken(List<HttpServerRequest> served, List<String> handedOver) {}

    private static Taken send(String bytes) {
        OwnServer server = new OwnServer(true);
        List<HttpServerRequest> served = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(FramingGuard.NAME, new FramingGuard(true));
        channel.pipeline().addLast(OwnConnection.NAME, new OwnConnection(server));
        var timeouts = new ClientTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10));
        server.serve(channel.eventLoop(), new OwnServer.Loop(new HeadDeadlines(vertx, timeouts), served::add));
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        List<String> handedOver = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            ByteBuf b = (ByteBuf) m;
            handedOver.add(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        channel.finishAndReleaseAll();
        return new Taken(served, handedOver);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET     | /a",
            "HEAD    | /a",
            "DELETE  | /items/-1",
            "DELETE  | /items/7?soft=true",
            "OPTIONS | /app/api/v2/x",
            "OPTIONS | /",
    })
    void aBodilessRequestInOriginFormIsServedOnTheOwnPathWithItsMethodAndTarget(String method, String target) {
        Taken taken = send(method + " " + target + " HTTP/1.1\r\nHost: shop\r\nAccept: */*\r\n\r\n");

        assertThat(taken.handedOver()).isEmpty();
        assertThat(taken.served()).hasSize(1);
        HttpServerRequest request = taken.served().get(0);
        assertThat(request).isInstanceOf(OwnRequest.class);
        assertThat(request.method().name()).isEqualTo(method);
        assertThat(request.uri()).isEqualTo(target);
        assertThat(request.getHeader("accept")).isEqualTo("*/*");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "OPTIONS * HTTP/1.1\r\nHost: shop\r\n\r\n",
            "OPTIONS http://shop/x HTTP/1.1\r\nHost: shop\r\n\r\n",
            // The gateway edits Max-Forwards in place (or answers at zero): the own path's headers are read-only.
            "OPTIONS /x HTTP/1.1\r\nHost: shop\r\nMax-Forwards: 3\r\n\r\n",
            "OPTIONS /x HTTP/1.1\r\nHost: shop\r\nmax-forwards: 0\r\n\r\n",
            "DELETE /items/1 HTTP/1.1\r\nHost: shop\r\nContent-Length: 0\r\n\r\n",
            "DELETE /items/1 HTTP/1.1\r\nHost: shop\r\nContent-Length: 2\r\n\r\n{}",
            "DELETE /items/1 HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "OPTIONS /x HTTP/1.1\r\nHost: shop\r\nContent-Length: 2\r\n\r\n{}",
            "DELETE /items/1 HTTP/1.0\r\nHost: shop\r\n\r\n",
            "DELETES /items/1 HTTP/1.1\r\nHost: shop\r\n\r\n",
            "POST /items HTTP/1.1\r\nHost: shop\r\n\r\n",
            "PUT /items/1 HTTP/1.1\r\nHost: shop\r\n\r\n",
    })
    void anyOtherRequestIsHandedToVertxAsItCame(String request) {
        Taken taken = send(request);

        assertThat(taken.served()).isEmpty();
        assertThat(String.join("", taken.handedOver())).isEqualTo(request);
    }
}
