package dev.strangler.gateway;

import dev.strangler.core.rewrite.HeaderRules;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code X-Strangler-Shadow} marks Strangler's own copies, so a service may skip side effects for
 * them; a client that sends it must not have its real request taken for a copy. What each backend
 * received is read from raw sockets ({@link ByteLoggingBackend}). A request without a body goes over
 * the lean backend client, one with a body over Vert.x's HttpClient (and every one of them with
 * {@code -Dstrangler.lean-backend=false}), so each case is sent both ways.
 */
class ForgedShadowMarkTest {
    private static ByteLoggingBackend monolith;
    private static ByteLoggingBackend service;
    private static GatewayInFront gateway;

    @BeforeAll
    static void start() throws Exception {
        monolith = ByteLoggingBackend.start();
        service = ByteLoggingBackend.start();
        List<Route> routes = List.of(
                Route.of("declared", RouteMatch.path("/monolith/**"), "posts"),
                Route.of("moved", RouteMatch.path("/live/**"), "posts").withStage(Stage.LIVE),
                Route.of("split", RouteMatch.path("/canary/**"), "posts").withCanary(100, new StickyKey.Header("X-User-Id")),
                Route.of("compared", RouteMatch.path("/shadow/**"), "posts").withStage(Stage.SHADOW)
                        .withShadow(new ShadowSettings(true, 64 * 1024, 8, List.of())),
                Route.of("marked", RouteMatch.path("/operator/**"), "posts").withStage(Stage.LIVE)
                        .withRequestHeaders(new HeaderRules(Map.of("X-Strangler-Shadow", "operator"), Set.of())));
        gateway = GatewayInFront.of(monolith.url().toString(), service.url().toString(), routes, c -> c);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        monolith.close();
        service.close();
    }

    /** The client's forgeries: the plain mark, another case and value, two lines, one its Connection header names too. */
    private static final String[] FORGERIES = {
            "X-Strangler-Shadow: true\r\n",
            "x-strangler-shadow: 1\r\n",
            "X-Strangler-Shadow: true\r\nx-strangler-shadow: true\r\n",
            "Connection: keep-alive, X-Strangler-Shadow\r\nX-Strangler-Shadow: true\r\n"};

    @ParameterizedTest
    @ValueSource(strings = {"/monolith/1", "/live/1", "/canary/1"})
    void aClientsMarkReachesNoBackendOnTheUsersOwnLeg(String path) throws Exception {
        ByteLoggingBackend answering = path.startsWith("/monolith/") ? monolith : service;
        for (String forged : FORGERIES) {
            for (String body : List.of("", "{}")) {
                String received = receivedBy(answering, () -> send(gateway, path, forged, body));

                assertThat(received).as("%s with %s, body '%s'", path, forged, body).startsWith(requestLine(path, body))
                        .doesNotContainIgnoringCase("x-strangler-shadow");
            }
        }
    }

    @Test
    void onAShadowRouteTheMonolithGetsNoMarkAndTheCopyStranglersOneAlone() throws Exception {
        for (String forged : FORGERIES) {
            for (String body : List.of("", "{}")) {
                Map<ByteLoggingBackend.Connection, Integer> toService = service.mark();
                int copies = service.answered();
                String byMonolith = receivedBy(monolith, () -> send(gateway, "/shadow/1", forged, body));
                service.awaitAnswered(copies + 1, Duration.ofSeconds(5));
                String byService = service.receivedSince(toService);

                assertThat(byMonolith).as("the user's request, with %s", forged).startsWith(requestLine("/shadow/1", body))
                        .doesNotContainIgnoringCase("x-strangler-shadow");
                assertThat(byService).as("the copy, with %s", forged).startsWith(requestLine("/shadow/1", body))
                        .contains("\r\nX-Strangler-Shadow: true\r\n");
                assertThat(markLines(byService)).as("the copy's marks, with %s", forged).isEqualTo(1);
                assertThat(gateway.nextShadowResult()).isNotNull(); // this copy is over before the next one is sent
            }
        }
    }

    @Test
    void aRouteThatSetsTheMarkItselfStillSendsItsOwnValueInsteadOfTheClients() throws Exception {
        for (String body : List.of("", "{}")) {
            String received = receivedBy(service, () -> send(gateway, "/operator/1", FORGERIES[2], body));

            assertThat(received).contains("\r\nX-Strangler-Shadow: operator\r\n");
            assertThat(markLines(received)).isEqualTo(1);
        }
    }

    @Test
    void aRequestThatFallsBackToTheMonolithCarriesNoMarkThere() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Route live = Route.of("moved", RouteMatch.path("/live/**"), "posts").withStage(Stage.LIVE);
        try (var fallback = ByteLoggingBackend.start();
             var g = GatewayInFront.of(fallback.url().toString(), "http://127.0.0.1:" + deadPort, List.of(live), c -> c)) {
            String received = receivedBy(fallback, () -> send(g, "/live/1", FORGERIES[0], ""));

            assertThat(g.nextOutcome().fallback()).as("answered by the monolith after the service refused").isPresent();
            assertThat(received).startsWith(requestLine("/live/1", "")).doesNotContainIgnoringCase("x-strangler-shadow");
        }
    }

    /** Sends one request with the {@code forged} header lines (a POST when there is a body) and reads the answer. */
    private static void send(GatewayInFront g, String path, String forged, String body) throws Exception {
        try (Socket client = g.connect()) {
            String framing = body.isEmpty() ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n";
            write(client, requestLine(path, body) + "Host: shop\r\n" + forged + framing + "\r\n" + body);
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");
        }
    }

    private static String requestLine(String path, String body) {
        return (body.isEmpty() ? "GET " : "POST ") + path + " HTTP/1.1\r\n";
    }

    @FunctionalInterface
    private interface Sending {
        void run() throws Exception;
    }

    /** What {@code backend} received while {@code sending} ran, once it answered one more request. */
    private static String receivedBy(ByteLoggingBackend backend, Sending sending) throws Exception {
        Map<ByteLoggingBackend.Connection, Integer> mark = backend.mark();
        int answered = backend.answered();
        sending.run();
        backend.awaitAnswered(answered + 1, Duration.ofSeconds(5));
        return backend.receivedSince(mark);
    }

    /** How many header lines named X-Strangler-Shadow, in any case, {@code received} holds. */
    private static int markLines(String received) {
        return received.toLowerCase(Locale.ROOT).split("\r\nx-strangler-shadow:", -1).length - 1;
    }
}
