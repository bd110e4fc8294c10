package dev.strangler.control.controller;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.strangler.control.testing.Http.array;
import static dev.strangler.control.testing.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller against real backends with short windows: a healthy service is promoted step by
 * step to live, one answering 20 % errors is rolled back, each move audited with its evidence.
 */
class ControllerEndToEndTest {
    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();
    private final AtomicBoolean traffic = new AtomicBoolean(true);
    private Thread users;

    @AfterEach
    void stop() throws InterruptedException {
        traffic.set(false);
        if (users != null) users.join(10_000);
        gateways.close();
        backends.close();
    }

    /** Users with distinct ids (the canary's sticky key), as fast as one client goes. */
    private void sendTraffic(StranglerProcess p) {
        AtomicLong user = new AtomicLong();
        users = Thread.ofPlatform().daemon().start(() -> {
            while (traffic.get()) {
                try {
                    get(p.port(), "/api/orders/" + user.get(), "X-User-Id", "u" + user.incrementAndGet());
                } catch (AssertionError e) {
                    // the gateway is stopping
                }
            }
        });
    }

    private StranglerProcess start(HttpServer monolith, HttpServer service, String stage, String gates) {
        return gateways.start(dir.resolve("strangler.yaml"), Gateways.config("jdbc:h2:file:" + dir.resolve("state"),
                monolith.actualPort(), service.actualPort(), "200ms", """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    %s
                    sticky: header:X-User-Id
                    steps: [20, 60, 100]
                    gates: %s
                """.formatted(stage, gates)));
    }

    @Test
    void aHealthyServiceIsPromotedStepByStepFromShadowToLiveWithTheEvidenceAudited() {
        StranglerProcess p = start(backends.healthy(), backends.healthy(), "stage: shadow",
                "{ min-requests: 40, min-time: 300ms, max-latency-increase: 100% }");
        sendTraffic(p);

        Await.until(Duration.ofSeconds(60), () -> p.gateway().config().routes().getFirst().position().toString().equals("live"));
        JsonArray log = array(get(p.adminPort(), "/api/audit?route=orders"));
        List<String> moves = log.stream().map(e -> (JsonObject) e)
                .filter(e -> e.getString("actor").equals("controller"))
                .map(e -> e.getJsonObject("to").getString("stage") + " " + e.getJsonObject("to").getDouble("percent", -1.0))
                .toList();
        assertThat(moves).containsExactly("live null", "canary 60.0", "canary 20.0");
        JsonObject toCanary = log.stream().map(e -> (JsonObject) e).filter(e -> e.getString("actor").equals("controller"))
                .reduce((a, b) -> b).orElseThrow(); // the oldest controller entry: shadow → canary 20 %
        assertThat(toCanary.getString("action")).isEqualTo("promote");
        assertThat(toCanary.getJsonArray("evidence").getString(0)).startsWith("shadow: ").endsWith("PASS");
        JsonObject toLive = log.getJsonObject(0);
        assertThat(toLive.getJsonArray("evidence").stream().map(Object::toString).toList())
                .anySatisfy(l -> assertThat(l).startsWith("error rate: "))
                .anySatisfy(l -> assertThat(l).startsWith("latency: ").contains("PASS"));
    }

    @Test
    void aServiceAnsweringTwentyPercentErrorsIsRolledBackToShadowWithThePValueInTheAuditLog() {
        StranglerProcess p = start(backends.healthy(), backends.start(5, 0), "stage: canary\n    percent: 50",
                "{ min-requests: 50, min-time: 1h }");
        sendTraffic(p);

        Await.until(Duration.ofSeconds(60), () -> p.gateway().config().routes().getFirst().position().toString().equals("shadow"));
        JsonObject rollback = array(get(p.adminPort(), "/api/audit?route=orders&limit=1")).getJsonObject(0);
        assertThat(rollback.getString("actor")).isEqualTo("controller");
        assertThat(rollback.getString("action")).isEqualTo("rollback");
        assertThat(rollback.getString("reason")).startsWith("service error rate ").contains("% is confidently above the monolith's 0.0%");
        assertThat(rollback.getJsonArray("evidence").getString(0)).startsWith("error rate: service errors ")
                .containsPattern("p[<=]0\\.").endsWith("FAIL");
        // It stays rolled back: shadow is not promoted while the copies keep failing (500 vs 200 differ).
        traffic.set(false);
    }

    @Test
    void aPausedRouteIsNotMovedByTheController() {
        StranglerProcess p = start(backends.healthy(), backends.start(5, 0), "stage: canary\n    percent: 50",
                "{ min-requests: 50, min-time: 1h }");
        assertThat(dev.strangler.control.testing.Http.post(p.adminPort(), "/api/routes/orders/pause",
                new JsonObject().put("reason", "investigating")).statusCode()).isEqualTo(200);
        sendTraffic(p);
        Await.until(Duration.ofSeconds(30), () -> p.controller().lastDecision("orders").isEmpty()
                && array(get(p.adminPort(), "/api/routes")).getJsonObject(0).getJsonObject("window")
                .getJsonObject("service").getLong("requests") > 200);
        assertThat(p.gateway().config().routes().getFirst().position().toString()).isEqualTo("canary 50%");
    }
}
