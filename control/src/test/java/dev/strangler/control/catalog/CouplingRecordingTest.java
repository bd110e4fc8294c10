package dev.strangler.control.catalog;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import dev.strangler.core.coupling.Affinity;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through a real gateway: requests that carry a client key (a route's sticky header, a session
 * cookie, a trace id) make the coupling matrix over endpoint groups, saved with the catalog and
 * counted on after a restart.
 */
class CouplingRecordingTest {
    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();

    @AfterEach
    void stop() {
        gateways.close();
        backends.close();
    }

    @Test
    void sessionsOfOneClientKeyCoupleTheGroupsTheyUseAndTheCountsSurviveARestart() throws Exception {
        HttpServer monolith = backends.healthy();
        HttpServer service = backends.healthy();
        String yaml = Gateways.config("jdbc:h2:file:" + dir.resolve("state"), monolith.actualPort(), service.actualPort(), "1h", """
                  - name: customers
                    match: { path: /shop/api/customers/** }
                    service: svc
                    stage: canary
                    percent: 10
                    sticky: header:X-User-Id
                """).replaceFirst("(?m)^listen: 127.0.0.1:0$", "listen: 127.0.0.1:" + freePort());
        Path file = dir.resolve("strangler.yaml");
        StranglerProcess first = gateways.start(file, yaml);
        for (int u = 0; u < 10; u++) { // browsing: products with categories, by session cookie
            get(first.port(), "/shop/api/products/" + u, "Cookie", "theme=dark; JSESSIONID=s" + u);
            get(first.port(), "/shop/api/categories", "Cookie", "JSESSIONID=s" + u);
        }
        for (int u = 0; u < 5; u++) { // buying: orders with customers, by the canary's sticky header
            get(first.port(), "/shop/api/orders/" + u, "X-User-Id", "u" + u);
            get(first.port(), "/shop/api/customers/" + u, "X-User-Id", "u" + u);
        }
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        get(first.port(), "/shop/api/orders/9", "traceparent", trace);
        get(first.port(), "/shop/api/products/9", "traceparent", trace);
        get(first.port(), "/shop/api/products/10"); // no key: not a session

        CatalogRecorder recorder = first.catalog().orElseThrow();
        recorder.flush(); // the catalog now knows the endpoints, so groups take their final names
        for (int u = 0; u < 10; u++) get(first.port(), "/shop/api/categories", "Cookie", "JSESSIONID=late" + u);
        // the gateway reports a request once the client has its answer: wait for the last ones to be counted
        Affinity learnt = Await.until(Duration.ofSeconds(10), () -> {
            Affinity a = recorder.coupling();
            return a.sessions() == 10 + 5 + 1 + 10 ? a : null;
        });
        assertThat(learnt.sessionsWithBoth("/shop/api/products", "/shop/api/categories")).isEqualTo(10);
        assertThat(learnt.sessionsWithBoth("/shop/api/orders", "/shop/api/customers")).isEqualTo(5);
        assertThat(learnt.sessionsWithBoth("/shop/api/orders", "/shop/api/products")).isEqualTo(1);
        assertThat(learnt.sessionsWithBoth("/shop/api/products", "/shop/api/customers")).isZero();
        assertThat(learnt.splitShare("/shop/api/categories", "/shop/api/products")).isEqualTo(0.5);
        recorder.flush();
        // the admin API serves the fleet's matrix from the store, for strangler analyze --coupling
        Affinity served = CatalogJson.coupling(json(get(first.adminPort(), "/api/catalog")));
        assertThat(served.sessionsWithBoth("/shop/api/products", "/shop/api/categories")).isEqualTo(10);
        assertThat(served.sessions()).isEqualTo(learnt.sessions());
        gateways.stop(first);

        // Same host and port: what was saved is the base the coupling goes on from.
        StranglerProcess second = gateways.start(file);
        get(second.port(), "/shop/api/orders/1", "X-User-Id", "again");
        get(second.port(), "/shop/api/customers/1", "X-User-Id", "again");
        Affinity after = Await.until(Duration.ofSeconds(10), () -> {
            Affinity a = second.catalog().orElseThrow().coupling();
            // The session counts once its first request is recorded: wait for its second one too.
            return a.sessions() == 26 + 1 && a.sessionsWithBoth("/shop/api/orders", "/shop/api/customers") == 6 ? a : null;
        });
        assertThat(after.sessionsWithBoth("/shop/api/orders", "/shop/api/customers")).isEqualTo(6);
        assertThat(after.sessionsWithBoth("/shop/api/products", "/shop/api/categories")).isEqualTo(10);
    }

    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
