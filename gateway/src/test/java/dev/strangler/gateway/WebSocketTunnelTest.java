package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 11: WebSocket through the gateway. The handshake's {@code Upgrade} reaches the
 * backend the route's stage chose (the service from canary on; the monolith in shadow, without a
 * copy), the {@code 101} comes back, and frames flow both ways through a raw tunnel.
 */
class WebSocketTunnelTest {
    private final Vertx vertx = Vertx.vertx();
    /** Handshakes each backend accepted, by backend name: the headers it received. */
    private final Map<String, BlockingQueue<Map<String, String>>> handshakes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A WebSocket backend that answers every text message with "NAME: message". */
    private String echo(String name) throws Exception {
        handshakes.put(name, new LinkedBlockingQueue<>());
        connections.put(name, new AtomicInteger());
        HttpServer server = vertx.createHttpServer()
                .connectionHandler(c -> connections.get(name).incrementAndGet())
                .webSocketHandler(ws -> {
                    Map<String, String> headers = new java.util.HashMap<>();
                    ws.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                    headers.put(":path", ws.path());
                    handshakes.get(name).add(headers);
                    ws.textMessageHandler(m -> ws.writeTextMessage(name + ": " + m));
                });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + server.actualPort();
    }

    private static Route chat(Stage stage) {
        return Route.of("chat", RouteMatch.path("/ws/**"), "posts").withStage(stage);
    }

    /** Opens a WebSocket through the gateway, sends three messages and returns the answers. */
    private List<String> talk(GatewayInFront g, String path) throws Exception {
        BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        WebSocket ws = vertx.createWebSocketClient()
                .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(g.gateway.port()).setURI(path)
                        .addHeader("X-Request-Id", "ws-1"))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.textMessageHandler(answers::add);
        List<String> got = new ArrayList<>();
        for (String m : List.of("one", "two", "three")) {
            ws.writeTextMessage(m);
            String answer = answers.poll(10, TimeUnit.SECONDS);
            if (answer == null) throw new AssertionError("no answer to " + m + " through the tunnel");
            got.add(answer);
        }
        ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return got;
    }

    @Test
    void aLiveRoutesWebSocketIsTunnelledToTheServiceBothWays() throws Exception {
        String monolith = echo("monolith");
        String service = echo("posts");
        try (var g = GatewayInFront.of(monolith, service, List.of(chat(Stage.LIVE)), c -> c)) {
            assertThat(talk(g, "/ws/room?id=1")).containsExactly("posts: one", "posts: two", "posts: three");

            Map<String, String> handshake = handshakes.get("posts").poll(10, TimeUnit.SECONDS);
            assertThat(handshake).containsEntry("upgrade", "websocket").containsKey("sec-websocket-key")
                    .containsEntry("x-request-id", "ws-1").containsEntry(":path", "/ws/room");
            assertThat(handshake.get("connection")).containsIgnoringCase("upgrade");
            assertThat(handshakes.get("monolith")).isEmpty();
            assertThat(g.nextOutcome().status()).isEqualTo(101);
        }
    }

    @Test
    void aQuietTunnelOutlivesTheBackendsResponseTimeout() throws Exception {
        String monolith = echo("monolith");
        try (var g = GatewayInFront.of(monolith, monolith, List.of(), c -> new dev.strangler.core.config.GatewayConfig(c.source(),
                c.listen(), c.tls(), c.admin(), c.storeUrl(), c.monolith().withResponseTimeout(java.time.Duration.ofMillis(150)),
                c.services(), c.routes(), c.accessLog(), c.drainTimeout(), c.controllerInterval(), c.catalog(), c.client()))) {
            BlockingQueue<String> answers = new LinkedBlockingQueue<>();
            WebSocket ws = vertx.createWebSocketClient().connect(g.gateway.port(), "127.0.0.1", "/ws")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            ws.textMessageHandler(answers::add);
            ws.writeTextMessage("before");
            assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("monolith: before");
            Thread.sleep(600); // quiet for four response timeouts: the tunnel is not a request waiting for its answer
            ws.writeTextMessage("after");
            assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("monolith: after");
        }
    }

    @Test
    void inShadowTheMonolithTakesTheWebSocketAndNoCopyIsMade() throws Exception {
        String monolith = echo("monolith");
        String service = echo("posts");
        try (var g = GatewayInFront.of(monolith, service, List.of(chat(Stage.SHADOW)), c -> c)) {
            assertThat(talk(g, "/ws/room")).containsExactly("monolith: one", "monolith: two", "monolith: three");

            assertThat(handshakes.get("monolith").poll(10, TimeUnit.SECONDS)).containsEntry("upgrade", "websocket");
            assertThat(connections.get("posts").get()).as("the service got no connection at all").isZero();
        }
    }
}
