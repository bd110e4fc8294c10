package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.config.Outlier;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.FallbackPolicy;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Failure;
import dev.strangler.gateway.observe.Outcome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, a dead service's cost at high traffic: after {@code outlier.consecutive-failures} hard
 * failures in a row the gateway stops sending user traffic to the service's endpoint, so what the
 * outage costs users stops growing before the controller's first look: a request that may fall back
 * is answered by the monolith without waiting for the dead service, one that may not gets a 503 at
 * once; each still counts against the service.
 *
 * <p>The harness runs two event loops and each keeps its own counters; one client on one keep-alive
 * connection stays on one loop, so the numbers below are exact.
 */
class OutlierEjectionTest {
    private static final int FAILURES = 3;

    private static Route route(Stage stage, FallbackPolicy fallback) {
        Route r = Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withFallback(fallback);
        return stage == Stage.CANARY ? r.withCanary(100, new dev.strangler.core.stage.StickyKey.Header("X-User-Id")) : r.withStage(stage);
    }

    /** The service {@code posts} at {@code url}, ejected after {@value #FAILURES} failures for a minute. */
    private static UnaryOperator<GatewayConfig> serviceAt(URI url, Duration connectTimeout) {
        return c -> {
            Backend posts = Backend.of("posts", url).withConnectTimeout(connectTimeout)
                    .withOutlier(new Outlier(FAILURES, Duration.ofMinutes(1), Duration.ofMinutes(5)));
            return new GatewayConfig(c.source(), c.listen(), c.tls(), c.admin(), c.storeUrl(), c.monolith(), Map.of("posts", posts),
                    c.routes(), c.accessLog(), c.drainTimeout(), Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
        };
    }

    @Test
    void aServiceThatResetsEveryConnectionIsSentOnlyTheFirstFailuresThenRequestsThatCannotFallBackGetA503AtOnce() throws Exception {
        try (Resetting service = new Resetting();
             var h = new GatewayHarness(List.of(route(Stage.RETIRED, FallbackPolicy.NONE)), serviceAt(service.url(), Duration.ofSeconds(2)))) {
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) answers.add(h.get("/api/posts/" + i));

            assertThat(answers.subList(0, FAILURES)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(502));
            assertThat(answers.subList(FAILURES, 10)).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(r.body()).contains("backend-ejected").contains("taken out of service").doesNotContain("127.0.0.1");
            });
            assertThat(service.connections.get()).as("connections the dead service was sent").isEqualTo(FAILURES);
            assertThat(h.monolith.received).as("retired: no fallback").isEmpty();
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 10; i++) outcomes.add(h.nextOutcome());
            assertThat(outcomes).allSatisfy(o -> assertThat(o.serviceFailedHard()).as("counted against the service").isTrue());
            assertThat(outcomes.subList(FAILURES, 10)).allSatisfy(o -> assertThat(o.failure()).contains(Failure.SERVICE_EJECTED));
        }
    }

    @Test
    void aResettingServiceCostsReadsInLiveNothingAndIsSentOnlyTheFirstFailures() throws Exception {
        try (Resetting service = new Resetting();
             var h = new GatewayHarness(List.of(route(Stage.LIVE, FallbackPolicy.SAFE)), serviceAt(service.url(), Duration.ofSeconds(2)))) {
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = h.get("/api/posts/" + i);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Served-By")).hasValue("monolith");
            }
            assertThat(service.connections.get()).isEqualTo(FAILURES);
            for (int i = 0; i < 10; i++) assertThat(h.nextOutcome().fellBack()).isTrue();
        }
    }

    @Test
    void readsToABlackHoledServiceStopWaitingForTheConnectTimeoutAfterTheFirstFailures() throws Exception {
        Duration connectTimeout = Duration.ofMillis(500);
        try (BlackHole hole = new BlackHole();
             var h = new GatewayHarness(List.of(route(Stage.CANARY, FallbackPolicy.SAFE)), serviceAt(hole.url(), connectTimeout))) {
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long start = System.nanoTime();
                HttpResponse<String> r = h.get("/api/posts/" + i, "X-User-Id", "u" + i);
                millis.add((System.nanoTime() - start) / 1_000_000);
                assertThat(r.statusCode()).as("every read falls back to the monolith").isEqualTo(200);
                assertThat(r.headers().firstValue("X-Served-By")).hasValue("monolith");
            }
            System.out.println("black-holed service, ms per read: " + millis);

            assertThat(millis.subList(0, FAILURES)).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(connectTimeout.toMillis()));
            assertThat(millis.subList(FAILURES, 8)).allSatisfy(ms -> assertThat(ms).isLessThan(connectTimeout.toMillis()));
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) outcomes.add(h.nextOutcome());
            assertThat(outcomes.subList(0, FAILURES)).allSatisfy(o ->
                    assertThat(o.fallback()).contains(new Outcome.BackendFailure("posts", Failure.CONNECT_TIMEOUT)));
            assertThat(outcomes.subList(FAILURES, 8)).allSatisfy(o ->
                    assertThat(o.fallback()).contains(new Outcome.BackendFailure("posts", Failure.SERVICE_EJECTED)));
            assertThat(outcomes).allSatisfy(o -> assertThat(o.serviceFailedHard()).isTrue());
        }
    }

    /** Accepts each connection, reads what comes, and resets it (RST) without answering. */
    private static final class Resetting implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();

        Resetting() throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        InputStream in = s.getInputStream();
                        in.read(new byte[8192]);
                        s.setSoLinger(true, 0);
                        s.close();
                    } catch (IOException e) {
                        // closed by the test
                    }
                }
            });
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * A listener that never accepts, its backlog filled, so the kernel drops further SYNs: a connect
     * to it times out, as to an address that does not answer, without leaving loopback.
     */
    private static final class BlackHole implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final List<Socket> fillers = new ArrayList<>();

        BlackHole() throws IOException {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()), 200);
                    fillers.add(s);
                } catch (IOException full) {
                    s.close();
                    return; // the queue is full: connects time out from now on
                }
            }
            throw new AssertionError("the backlog did not fill: cannot black-hole on this machine");
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            for (Socket s : fillers) s.close();
            socket.close();
        }
    }
}
