package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.FallbackPolicy;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.readToClose;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 9: {@code Expect: 100-continue} never deadlocks. A streamed body: the head goes to
 * the backend at once and the backend's {@code 100} is relayed (RFC 9110 §10.1.1). A body Strangler
 * keeps for a replay: Strangler sends the {@code 100} itself and does not pass the expectation on.
 * A request without content (no body, or {@code Content-Length: 0}) has nothing to wait for: its
 * expectation is not passed on either, since a client (here the gateway) must not send one with such
 * a request (RFC 9110 §10.1.1), over either backend client.
 */
class ExpectContinueTest {
    /** Reads a head; if it expects 100-continue, says go on; reads the body; answers with what it read. */
    private static final ScriptedBackend.Script CONTINUE_THEN_ECHO = c -> {
        while (true) {
            String head = c.readHead();
            if (head.toLowerCase().contains("expect: 100-continue")) c.write("HTTP/1.1 100 Continue\r\n\r\n");
            String body = c.readBytes(5);
            c.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n" + body);
        }
    };

    private static final Route LIVE_WITH_FALLBACK = Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.LIVE)
            .withFallback(FallbackPolicy.ALL);

    @Test
    void theBackendsContinueIsRelayedToAClientThatWaitsForIt() throws Exception {
        try (var backend = ScriptedBackend.start(CONTINUE_THEN_ECHO);
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "POST /upload HTTP/1.1\r\nHost: shop\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            // The client sends nothing more until it is told to: the head must already be at the backend.
            assertThat(readHead(client)).startsWith("HTTP/1.1 100 Continue");
            write(client, "hello");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 5)).isEqualTo("hello");
            assertThat(backend.conversation(0).received()).containsIgnoringCase("expect: 100-continue").endsWith("\r\n\r\nhello");
        }
    }

    @Test
    void aBodyKeptForAReplayIsAskedForByTheGatewayItself() throws Exception {
        try (var backend = ScriptedBackend.start(CONTINUE_THEN_ECHO);
             var g = GatewayInFront.of(backend.url(), backend.url(), List.of(LIVE_WITH_FALLBACK), c -> c);
             Socket client = g.connect()) {
            write(client, "POST /api/posts HTTP/1.1\r\nHost: shop\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 100 Continue");
            write(client, "hello");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 5)).isEqualTo("hello");
            String received = backend.conversation(0).received();
            assertThat(received).doesNotContainIgnoringCase("expect:").endsWith("\r\n\r\nhello");
        }
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void aRequestWithoutContentReachesTheBackendWithoutTheExpectation(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = BackendClient.of(lean).start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            for (String request : List.of("GET /a HTTP/1.1\r\nHost: shop\r\nExpect: 100-continue\r\n\r\n",
                    "POST /b HTTP/1.1\r\nHost: shop\r\nContent-Length: 0\r\nExpect: 100-Continue\r\n\r\n")) {
                write(client, request);
                assertThat(readHead(client)).as(request).startsWith("HTTP/1.1 200");
                assertThat(readBytes(client, 2)).as(request).isEqualTo("ok");
            }
            String received = backend.allReceived();
            assertThat(received).contains("GET /a HTTP/1.1\r\n", "POST /b HTTP/1.1\r\n").doesNotContainIgnoringCase("expect");
        }
    }

    /**
     * A streamed body (the monolith's request): the head reaches the backend first, and the backend
     * sends a {@code 100 Continue} (which a server may send unasked) before the client sent any of its
     * body, so a relayed {@code 100} would stand before the final response in what the client read.
     */
    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void anHttp10ClientsExpectationIsIgnoredWhenItsBodyIsStreamed(boolean lean) throws Exception {
        CountDownLatch continued = new CountDownLatch(1);
        try (var backend = ScriptedBackend.start(c -> {
                 c.readHead();
                 c.write("HTTP/1.1 100 Continue\r\n\r\n");
                 continued.countDown();
                 String body = c.readBytes(5);
                 c.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n" + body);
             });
             var g = BackendClient.of(lean).start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            write(client, "POST /upload HTTP/1.0\r\nHost: shop\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(continued.await(10, TimeUnit.SECONDS)).as("the head reached the backend before the body").isTrue();
            write(client, "hello");
            String answer = readToClose(client, Duration.ofSeconds(5));
            assertThat(answer).startsWith("HTTP/1.0 200 ").doesNotContain("100 Continue").endsWith("\r\n\r\nhello");
            assertThat(backend.conversation(0).received()).startsWith("POST /upload HTTP/1.1\r\n")
                    .doesNotContainIgnoringCase("expect:").containsIgnoringCase("\r\ncontent-length: 5\r\n").endsWith("\r\n\r\nhello");
        }
    }

    /** A body kept for a replay: the gateway reads it without telling the HTTP/1.0 client to go on, and sends it without the expectation. */
    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void anHttp10ClientsExpectationIsIgnoredWhenItsBodyIsKept(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(CONTINUE_THEN_ECHO);
             var g = BackendClient.of(lean).start(() -> GatewayInFront.of(backend.url(), backend.url(), List.of(LIVE_WITH_FALLBACK), c -> c));
             Socket client = g.connect()) {
            write(client, "POST /api/posts HTTP/1.0\r\nHost: shop\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello");
            String answer = readToClose(client, Duration.ofSeconds(5));
            assertThat(answer).startsWith("HTTP/1.0 200 ").doesNotContain("100 Continue").endsWith("\r\n\r\nhello");
            assertThat(backend.conversation(0).received()).startsWith("POST /api/posts HTTP/1.1\r\n")
                    .doesNotContainIgnoringCase("expect:").endsWith("\r\n\r\nhello");
        }
    }
}
