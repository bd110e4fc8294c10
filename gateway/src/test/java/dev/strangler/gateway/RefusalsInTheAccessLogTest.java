package dev.strangler.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Failure;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.gateway.observe.ProxyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.strangler.gateway.GatewayInFront.readToClose;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * README, "What Strangler refuses and why": a refused request is logged with the name of the rule it
 * broke as its {@code error}, and the problem body's {@code type} ends with the same name, so the line
 * an operator reads and the answer a user got point at the same rule. Raw bytes over a socket to a
 * real gateway; the outcome it reported is written by a real access log and the line read back.
 */
class RefusalsInTheAccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Route POSTS = Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.LIVE);

    /** Reads each request's head and never answers: an upload stays in progress until the gateway ends it. */
    private static final ScriptedBackend.Script NEVER_ANSWERS = c -> {
        while (true) c.readHead();
    };

    private static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("content-length-with-transfer-encoding",
                        "POST /api/posts HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("unknown-transfer-coding", "POST /api/posts HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"),
                Arguments.of("bad-chunk", "POST /api/posts HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("encoded-separator", "GET /api/posts%2f1 HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("missing-host", "GET /api/posts/1 HTTP/1.1\r\n\r\n"),
                Arguments.of("method-not-allowed", "TRACE /api/posts/1 HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("bad-max-forwards", "OPTIONS /api/posts/1 HTTP/1.1\r\nHost: a\r\nMax-Forwards: abc\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aRefusedRequestIsLoggedWithTheRuleItBrokeWhichEndsItsProblemType(String rule, String request) throws Exception {
        try (var backend = ScriptedBackend.start(NEVER_ANSWERS);
             var g = GatewayInFront.of(backend.url(), List.of(POSTS));
             Socket client = g.connect()) {
            write(client, request);
            String answer = readToClose(client, Duration.ofSeconds(10));

            JsonNode problem = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(problem.get("type").asText()).isEqualTo("https://strangler.dev/problems/" + rule);
            Outcome outcome = g.nextOutcome();
            JsonNode line = JSON.readTree(CapturedLog.accessLogLineOf(outcome));
            assertThat(line.get("error").asText()).as("error in %s", line).isEqualTo(rule);
            assertThat(line.get("route").asText()).isEqualTo(Outcome.UNROUTED);
            assertThat(line.get("backend").asText()).isEqualTo("strangler");
            assertThat(line.get("status").asInt()).isEqualTo(problem.get("status").asInt());
            assertThat(outcome.failure()).as("the failure kind metrics and the controller see").contains(Failure.BAD_REQUEST);
            assertThat(backend.allReceived()).as("what the backend received").isEmpty();
        }
    }

    /**
     * Requests Netty's decoder refuses itself, which Vert.x hands to the invalid-request handler rather
     * than to the gateway's: a request line over 4096 bytes, a header section over 8192, whether the
     * guard judged the head first (up to 16 KB) or passed it on unjudged. Vert.x's default handler
     * answered 414 or 431 with no access-log line and no count. The method and path are logged when the
     * decoder read the request line, and left empty when it could not. Then a request the guard refused
     * whose stand-in (method and target, no headers) is too long for the decoder: the guard's rule, which
     * the default handler's 414 hid. Last, heads too large for the guard to judge that the decoder cannot
     * read (a header line without a colon, a version that is no version): 400 {@code unreadable-head}. Every
     * answer goes out on an {@code HTTP/1.1} status line, even when the decoder, having read no request
     * line, made the request an HTTP/1.0 one of its own, with its length and {@code Connection: close}.
     */
    private static Stream<Arguments> refusalsOfTheDecoder() {
        return Stream.of(
                Arguments.of("uri-too-long", 414, "GET /api/posts/" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: a\r\n\r\n", "", ""),
                Arguments.of("uri-too-long", 414, "GET /api/posts/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n", "", ""),
                Arguments.of("head-too-large", 431, "GET /api/posts/1 HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(9_000) + "\r\n\r\n",
                        "GET", "/api/posts/1"),
                Arguments.of("head-too-large", 431, "POST /api/posts/1 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nX-Big: "
                        + "b".repeat(20_000) + "\r\n\r\nhi", "POST", "/api/posts/1"),
                Arguments.of("unknown-transfer-coding", 501, "POST /api/posts/" + "a".repeat(5_000)
                        + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", "", ""),
                Arguments.of("uri-too-long", 414, "GET /api/posts/" + "a".repeat(5_000) + " HTTP/1.0\r\n\r\n", "", ""),
                // The decoder takes any NAME/major.minor for a version, which Vert.x echoed on the status line.
                Arguments.of("head-too-large", 431, "GET /api/posts/1 HTTX/1.1\r\nHost: a\r\nX-Big: "
                        + "b".repeat(20_000) + "\r\n\r\n", "GET", "/api/posts/1"),
                Arguments.of("unreadable-head", 400, "GET /api/posts/1 HTTP/1.1\r\nHost: a\r\nX-A\r\nX-Big: "
                        + "b".repeat(20_000) + "\r\n\r\n", "GET", "/api/posts/1"),
                Arguments.of("unreadable-head", 400, "GET /api/posts/1 HTTP/1.x\r\nHost: a\r\nX-Big: "
                        + "b".repeat(20_000) + "\r\n\r\n", "", ""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refusalsOfTheDecoder")
    void aRequestTheDecoderRefusesItselfIsAnsweredLoggedAndCountedAsTheGatewaysOwnRefusals(String rule, int status, String request,
                                                                                          String method, String path) throws Exception {
        try (var backend = ScriptedBackend.start(NEVER_ANSWERS);
             var g = GatewayInFront.of(backend.url(), List.of(POSTS));
             Socket client = g.connect()) {
            write(client, request);
            String answer = readToClose(client, Duration.ofSeconds(10));

            // RFC 9112 §2.3: the gateway's own version, whatever the decoder made of the client's request line.
            assertThat(answer).as("the status line").startsWith("HTTP/1.1 " + status + " ");
            String head = answer.substring(0, answer.indexOf("\r\n\r\n") + 2);
            String body = answer.substring(head.length() + 2);
            assertThat(head).containsIgnoringCase("\r\nconnection: close\r\n")
                    .containsIgnoringCase("\r\ncontent-length: " + body.length() + "\r\n")
                    .doesNotContainIgnoringCase("transfer-encoding");
            JsonNode problem = JSON.readTree(body);
            assertThat(problem.get("type").asText()).isEqualTo("https://strangler.dev/problems/" + rule);
            Outcome outcome = g.nextOutcome();
            JsonNode line = JSON.readTree(CapturedLog.accessLogLineOf(outcome));
            assertThat(line.get("error").asText()).as("error in %s", line).isEqualTo(rule);
            assertThat(line.get("status").asInt()).isEqualTo(status);
            assertThat(line.path("method").asText()).isEqualTo(method);
            assertThat(line.path("path").asText()).isEqualTo(path);
            assertThat(line.get("route").asText()).isEqualTo(Outcome.UNROUTED);
            assertThat(line.get("backend").asText()).isEqualTo("strangler");
            assertThat(outcome.failure()).as("the failure kind metrics and the controller see").contains(Failure.BAD_REQUEST);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new ProxyMetrics(registry).onComplete(outcome);
            assertThat(registry.get("strangler_proxy_requests").tag("route", Outcome.UNROUTED).tag("backend", "strangler")
                    .tag("status", status / 100 + "xx").counter().count()).as("counted as the gateway's own refusals are").isEqualTo(1);
            assertThat(g.outcomes).as("one outcome, one line").isEmpty();
            assertThat(backend.allReceived()).as("what the backend received").isEmpty();
        }
    }

    @Test
    void aBadChunkAfterTheHeadWasForwardedIsLoggedAsBadChunkUnderTheRequestsRoute() throws Exception {
        try (var backend = ScriptedBackend.start(NEVER_ANSWERS);
             var g = GatewayInFront.of(backend.url(), List.of(POSTS));
             Socket client = g.connect()) {
            write(client, "POST /api/posts HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            ScriptedBackend.Conversation upload = backend.conversation(0);
            Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(upload.received()).contains("hello"));
            write(client, "5g\r\nworld\r\n0\r\n\r\n");
            // The head is out, so no answer can be given in order: the connection is closed, the upload reset.
            assertThat(readToClose(client, Duration.ofSeconds(10))).isEmpty();

            Outcome outcome = g.nextOutcome();
            JsonNode line = JSON.readTree(CapturedLog.accessLogLineOf(outcome));
            assertThat(line.get("error").asText()).as("error in %s", line).isEqualTo("bad-chunk");
            assertThat(line.get("route").asText()).isEqualTo("posts");
            assertThat(line.get("backend").asText()).isEqualTo("posts");
            assertThat(line.get("status").asInt()).as("nothing was answered").isZero();
            assertThat(outcome.failure()).contains(Failure.BAD_REQUEST);
            assertThat(upload.awaitPeerClosed(Duration.ofSeconds(10))).as("the backend's request was reset").isTrue();
            assertThat(upload.received()).doesNotContain("world");
        }
    }

    private record Answer(int status, String body) {}

    @Test
    void anHttp2RequestRefusedByARuleIsLoggedWithThatRule() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (var backend = ScriptedBackend.start(NEVER_ANSWERS);
             var g = GatewayInFront.of(backend.url(), List.of(POSTS))) {
            var h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            Answer answer = h2.request(HttpMethod.GET, g.gateway.port(), "127.0.0.1", "/api/posts%2f1")
                    .compose(r -> r.send().compose(a -> a.body().map(body -> new Answer(a.statusCode(), body.toString()))))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).get("type").asText()).endsWith("/encoded-separator");
            JsonNode line = JSON.readTree(CapturedLog.accessLogLineOf(g.nextOutcome()));
            assertThat(line.get("error").asText()).as("error in %s", line).isEqualTo("encoded-separator");
            assertThat(backend.allReceived()).isEmpty();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
