package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.MonolithServlet.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encoded paths between the gateway and two Tomcats: the monolith, and the {@code orders} service
 * the route {@code /app/api/orders/**} moved to (retired: the service answers it all). The gateway
 * routes the normalised path and forwards that same path (README, "One path for matching and
 * forwarding"); what it cannot normalise safely it refuses with 400 itself. Tomcat then reads the
 * path its own way — it drops {@code ;params} and decodes — so a request must reach the backend
 * whose route owns the path Tomcat will serve, and Tomcat's own 400s must reach the client as they are.
 */
class ServletPathsTest {
    private static TomcatBackend monolith;
    private static TomcatBackend service;
    private static final Map<BackendClient, GatewayInFront> GATEWAYS = new EnumMap<>(BackendClient.class);

    @BeforeAll
    static void start() throws Exception {
        monolith = TomcatBackend.start();
        service = TomcatBackend.start();
        Route orders = Route.of("orders", RouteMatch.path("/app/api/orders/**"), "posts").withStage(Stage.RETIRED);
        for (BackendClient client : BackendClient.values())
            GATEWAYS.put(client, client.start(() -> GatewayInFront.of(monolith.url(), service.url(), List.of(orders), c -> c)));
    }

    @AfterAll
    static void stop() throws Exception {
        for (GatewayInFront g : GATEWAYS.values()) g.close();
        service.close();
        monolith.close();
    }

    @BeforeEach
    void forget() {
        monolith.forget();
        service.forget();
    }

    /** Which backend a request reaches: one of the Tomcats, or none because the gateway refused it. */
    enum Side { SERVICE, MONOLITH, REFUSED }

    /** A request target, where it must go and the request URI that Tomcat must see (for the refused, nothing). */
    record PathCase(String target, Side side, String requestUri, int status) {
        @Override
        public String toString() {
            return target + " → " + side;
        }
    }

    static List<PathCase> routedCases() {
        return List.of(
                new PathCase("/app/api/orders/7", Side.SERVICE, "/app/api/orders/7", 200),
                new PathCase("/app/api/%6Frders/7", Side.SERVICE, "/app/api/orders/7", 200),
                new PathCase("/app//api///orders/7", Side.SERVICE, "/app/api/orders/7", 200),
                new PathCase("/app/api/orders/7;jsessionid=ABC123", Side.SERVICE, "/app/api/orders/7;jsessionid=ABC123", 200),
                // Tomcat decodes %25 to '%' for the servlet, which then refuses "100%" as an id with its own 400 page
                new PathCase("/app/api/orders/100%25", Side.SERVICE, "/app/api/orders/100%25", 400),
                new PathCase("/app/api/orders/%c3%a9", Side.SERVICE, "/app/api/orders/%C3%A9", 400),
                new PathCase("/app/api/other/7", Side.MONOLITH, "/app/api/other/7", 404),
                new PathCase("/app/api/orders/a%2Fb", Side.REFUSED, "", 400),
                new PathCase("/app/api/orders/a%2fb", Side.REFUSED, "", 400),
                new PathCase("/app/api/x/%2e%2e/orders/7", Side.REFUSED, "", 400),
                new PathCase("/app/api/orders/%2e%2e/other/7", Side.REFUSED, "", 400),
                new PathCase("/app/api/x/..;/orders/7", Side.REFUSED, "", 400),
                new PathCase("/app/api/orders/..;jsessionid=1/other", Side.REFUSED, "", 400));
    }

    /**
     * Path parameters before the route's last literal segment: Tomcat drops {@code ;jsessionid=…}
     * from every segment (Servlet 6.1 §3.5) and serves {@code /app/api/orders/7}, the retired route's
     * path, so the request must never reach the monolith: where the parameters change the route, the
     * gateway refuses it (400 {@code ambiguous-path}), as it refuses other paths a backend could read
     * differently; where they do not, it is forwarded as written.
     */
    static List<PathCase> pathParameterCases() {
        return List.of(
                new PathCase("/app/api/orders;jsessionid=ABC123/7", Side.REFUSED, "", 400),
                new PathCase("/app;jsessionid=ABC123/api/orders/7", Side.REFUSED, "", 400),
                new PathCase("/app/api/orders;jsessionid=ABC123", Side.REFUSED, "", 400),
                new PathCase("/app/;jsessionid=ABC123/api/orders/7", Side.REFUSED, "", 400),
                // Parameters that leave the route as it is are forwarded as written, to whichever side owns it.
                new PathCase("/app/api/orders/7;jsessionid=ABC123", Side.SERVICE, "/app/api/orders/7;jsessionid=ABC123", 200),
                new PathCase("/app/api;v=2/other/7", Side.MONOLITH, "/app/api;v=2/other/7", 404));
    }

    static Stream<Arguments> overBothClients(List<PathCase> cases) {
        List<Arguments> all = new ArrayList<>();
        for (PathCase c : cases) for (BackendClient client : BackendClient.values()) all.add(Arguments.of(c, client));
        return all.stream();
    }

    static Stream<Arguments> routedOverBothClients() {
        return overBothClients(routedCases());
    }

    static Stream<Arguments> pathParametersOverBothClients() {
        return overBothClients(pathParameterCases());
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("routedOverBothClients")
    void anEncodedPathReachesTheTomcatItsRouteOwnsAsForwardedOrIsRefusedByTheGateway(PathCase c, BackendClient client)
            throws Exception {
        assertRouted(c, client);
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("pathParametersOverBothClients")
    void aPathParameterInsideTheRoutesPrefixCannotBypassTheRoute(PathCase c, BackendClient client) throws Exception {
        assertRouted(c, client);
    }

    private static void assertRouted(PathCase c, BackendClient client) throws Exception {
        RawResponse r = get(client, c.target());
        assertThat(r.status()).as(r.head() + r.bodyText()).isEqualTo(c.status());
        if (c.side() == Side.REFUSED) {
            assertThat(r.header("Content-Type")).contains("application/problem+json");
            assertNothingElseReachedEitherTomcat(client);
            return;
        }
        // the servlet records before it answers, so both records are in by now
        List<Received> atService = service.drainReceived();
        List<Received> atMonolith = monolith.drainReceived();
        assertThat(c.side() == Side.SERVICE ? atMonolith : atService).as("the Tomcat the route does not own received").isEmpty();
        List<Received> atOwner = c.side() == Side.SERVICE ? atService : atMonolith;
        assertThat(atOwner).as("what the Tomcat the route owns received").hasSize(1);
        Received received = atOwner.getFirst();
        assertThat(received.requestUri()).isEqualTo(c.requestUri());
        if (c.target().contains(";jsessionid=")) assertThat(received.sessionId()).contains("ABC123");
        if (c.status() >= 400) assertThat(r.bodyText()).contains("HTTP Status " + c.status());
    }

    /**
     * Characters Tomcat refuses in a request target (RFC 3986 excludes them; Tomcat's
     * {@code relaxedPathChars} and {@code relaxedQueryChars} are empty by default) but the gateway
     * forwards: Tomcat's own 400 reaches the client, never a 502, and the route keeps answering on
     * the same client connection, though Tomcat closed its own.
     */
    @ParameterizedTest
    @EnumSource(BackendClient.class)
    void tomcatsOwnBadRequestReachesTheClientAndTheRouteKeepsAnswering(BackendClient client) throws Exception {
        try (Socket s = GATEWAYS.get(client).connect()) {
            InputStream in = RawResponse.reader(s);
            for (String target : List.of("/app/api/orders/{7}", "/app/api/orders/7?filter=a|b", "/app/api/orders/7?q=\"x\"")) {
                write(s, "GET " + target + " HTTP/1.1\r\nHost: shop\r\n\r\n");
                RawResponse refused = RawResponse.read(in, false);
                assertThat(refused.status()).as(target + ": " + refused.head()).isEqualTo(400);
                assertThat(refused.header("Content-Type")).as(target).isNotEqualTo(Optional.of("application/problem+json"));

                write(s, "GET /app/api/orders/7 HTTP/1.1\r\nHost: shop\r\n\r\n");
                RawResponse next = RawResponse.read(in, false);
                assertThat(next.status()).isEqualTo(200);
                assertThat(service.nextReceived().requestUri()).as("the only request the servlet saw after " + target)
                        .isEqualTo("/app/api/orders/7");
            }
        }
    }

    /** The handshake of {@link ServletBackendTest}'s WebSocket case, on a path a route moved to the service. */
    @ParameterizedTest
    @EnumSource(BackendClient.class)
    void aWebSocketUpgradeDeclinedByTheServicesServletLeavesTheRouteWorking(BackendClient client) throws Exception {
        try (Socket s = GATEWAYS.get(client).connect()) {
            InputStream in = RawResponse.reader(s);
            write(s, "GET /app/api/orders/5 HTTP/1.1\r\nHost: shop\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertThat(RawResponse.read(in, false).status()).isEqualTo(200);
            for (int id = 6; id <= 8; id++) {
                write(s, "GET /app/api/orders/" + id + " HTTP/1.1\r\nHost: shop\r\n\r\n");
                assertThat(RawResponse.read(in, false).bodyText()).startsWith("{\"id\":" + id + ",");
            }
        }
        assertThat(get(client, "/app/api/orders/9").bodyText()).startsWith("{\"id\":9,");
        assertThat(service.nextReceived().header("Upgrade")).containsExactly("websocket");
        for (int id = 6; id <= 9; id++) assertThat(service.nextReceived().requestUri()).isEqualTo("/app/api/orders/" + id);
    }

    private static RawResponse get(BackendClient client, String target) throws Exception {
        try (Socket s = GATEWAYS.get(client).connect()) {
            write(s, "GET " + target + " HTTP/1.1\r\nHost: shop\r\n\r\n");
            return RawResponse.read(RawResponse.reader(s), false);
        }
    }

    /** A request each Tomcat answers after a refused one: the first each records must be it. */
    private static void assertNothingElseReachedEitherTomcat(BackendClient client) throws Exception {
        assertThat(get(client, "/app/api/orders/1").status()).isEqualTo(200);
        assertThat(get(client, "/app/api/other/1").status()).isEqualTo(404);
        assertThat(service.nextReceived().requestUri()).isEqualTo("/app/api/orders/1");
        assertThat(monolith.nextReceived().requestUri()).isEqualTo("/app/api/other/1");
    }
}
