package dev.strangler.control.window;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import dev.strangler.store.MetricWindow;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a gateway's windows say about a service that refuses connections, through a real gateway: the
 * failures count against the service even when the monolith answered the user by fallback.
 */
class WindowRecorderTest {
    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();

    @AfterEach
    void stop() {
        gateways.close();
        backends.close();
    }

    /** A port nothing listens on: connecting to it is refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private StranglerProcess live(int servicePort) {
        // A long interval: nothing is cut while the test reads the window so far.
        return gateways.start(dir.resolve("strangler.yaml"), Gateways.config("jdbc:h2:file:" + dir.resolve("state"),
                backends.healthy().actualPort(), servicePort, "1h", """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    stage: live
                """));
    }

    /** The window so far once it holds {@code requests} service requests: an outcome is observed just after its response. */
    private static MetricWindow window(StranglerProcess p, long requests) {
        Await.until(Duration.ofSeconds(10), () -> p.windows().peek().stream()
                .anyMatch(w -> w.route().equals("orders") && w.service().requests() >= requests));
        List<MetricWindow> windows = p.windows().peek();
        assertThat(windows).extracting(MetricWindow::route).containsExactly("orders");
        return windows.getFirst();
    }

    @Test
    void aRefusedServiceInLiveCountsItsFailuresAndTheFallbacksWhileUsersGetTheMonolithsAnswers() throws IOException {
        StranglerProcess p = live(closedPort());
        for (int i = 0; i < 5; i++) assertThat(get(p.port(), "/api/orders/" + i).statusCode()).isEqualTo(200);

        MetricWindow w = window(p, 5);
        assertThat(w.service().requests()).isEqualTo(5);
        assertThat(w.service().errors()).isEqualTo(5);
        assertThat(w.service().hardFailures()).isEqualTo(5);
        assertThat(w.service().latenciesMillis()).as("a failure is not a latency").isEmpty();
        assertThat(w.fallbacks()).isEqualTo(5);
        assertThat(w.monolith().requests()).as("a fallback is not a monolith request of the route").isZero();
    }

    @Test
    void aRefusedWriteWithoutFallbackIsAHardFailureButNotAFallback() throws IOException {
        StranglerProcess p = live(closedPort());
        assertThat(post(p.port(), "/api/orders", new JsonObject().put("item", "book")).statusCode()).isEqualTo(502);

        MetricWindow w = window(p, 1);
        assertThat(w.service().hardFailures()).isEqualTo(1);
        assertThat(w.service().errors()).isEqualTo(1);
        assertThat(w.fallbacks()).isZero();
    }

    @Test
    void aHealthyServiceCountsRequestsAndLatenciesButNoFailures() {
        StranglerProcess p = live(backends.healthy().actualPort());
        for (int i = 0; i < 3; i++) assertThat(get(p.port(), "/api/orders/" + i).statusCode()).isEqualTo(200);

        MetricWindow w = window(p, 3);
        assertThat(w.service().requests()).isEqualTo(3);
        assertThat(w.service().latenciesMillis()).hasSize(3);
        assertThat(w.service().hardFailures()).isZero();
        assertThat(w.fallbacks()).isZero();
    }
}
