package dev.strangler.control.sync;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import dev.strangler.control.testing.Postgres;
import dev.strangler.control.testing.TcpProxy;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static dev.strangler.control.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/** Several gateways on one PostgreSQL: they agree within a second, one controller runs, an outage is survived. */
class FleetTest {
    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();
    private Postgres postgres;
    private TcpProxy proxy;

    @AfterEach
    void stop() {
        gateways.close();
        backends.close();
        if (proxy != null) proxy.close();
        if (postgres != null) postgres.close();
    }

    private String config(String storeUrl, HttpServer monolith, HttpServer service, String interval) {
        return Gateways.config(storeUrl, monolith.actualPort(), service.actualPort(), interval, """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    stage: shadow
                """);
    }

    @Test
    void aStageChangeMadeOnOneGatewayIsServedByAnotherWithinOneSecond() {
        postgres = Postgres.schemaOrSkip();
        String yaml = config(postgres.url(), backends.healthy(), backends.healthy(), "1h");
        StranglerProcess a = gateways.start(dir.resolve("a.yaml"), yaml);
        StranglerProcess b = gateways.start(dir.resolve("b.yaml"), yaml);

        for (String to : new String[] {"canary:10", "canary:50", "live"}) {
            assertThat(post(a.adminPort(), "/api/routes/orders/promote", new JsonObject().put("to", to)).statusCode()).isEqualTo(200);
            long started = System.nanoTime(); // the change is committed: from here the fleet must follow
            String expected = dev.strangler.core.plan.Position.parse(to).orElseThrow().toString();
            Await.until(Duration.ofSeconds(5), () -> b.gateway().config().routes().getFirst().position().toString().equals(expected));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).as("gateway b served %s after %s", expected, took).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void exactlyOneOfTwoGatewaysRunsTheControllerAndTheOtherTakesOverWhenItStops() {
        postgres = Postgres.schemaOrSkip();
        String yaml = config(postgres.url(), backends.healthy(), backends.healthy(), "100ms");
        StranglerProcess a = gateways.start(dir.resolve("a.yaml"), yaml);
        StranglerProcess b = gateways.start(dir.resolve("b.yaml"), yaml);

        Await.until(Duration.ofSeconds(5), () -> a.controller().leading() || b.controller().leading());
        for (int i = 0; i < 10; i++) { // over several rounds, never both
            assertThat(a.controller().leading() && b.controller().leading()).isFalse();
            assertThat(a.controller().leading() || b.controller().leading()).isTrue();
            sleep(100);
        }
        StranglerProcess leader = a.controller().leading() ? a : b;
        StranglerProcess other = leader == a ? b : a;
        assertThat(json(get(leader.adminPort(), "/health")).getJsonObject("store").getString("controller")).isEqualTo("leading");
        assertThat(json(get(other.adminPort(), "/health")).getJsonObject("store").getString("controller")).isEqualTo("standby");
        // The standby gateway shows the leader's judgement of the route (kept in the store).
        io.vertx.core.json.JsonObject decision = Await.until(Duration.ofSeconds(5), () ->
                dev.strangler.control.testing.Http.array(get(other.adminPort(), "/api/routes")).getJsonObject(0).getJsonObject("lastDecision"));
        assertThat(decision.getString("action")).isEqualTo("hold");
        assertThat(decision.getString("summary")).startsWith("waiting for comparisons");
        gateways.stop(leader);
        Await.until(Duration.ofSeconds(5), () -> other.controller().leading());
    }

    @Test
    void whenTheDatabaseIsUnreachableGatewaysKeepServingTheLastStateAndSaySoInHealth() {
        postgres = Postgres.schemaOrSkip();
        proxy = new TcpProxy("127.0.0.1", 5432);
        String yaml = config(postgres.url("127.0.0.1:" + proxy.port()), backends.healthy(), backends.healthy(), "200ms");
        StranglerProcess a = gateways.start(dir.resolve("a.yaml"), yaml);
        assertThat(post(a.adminPort(), "/api/routes/orders/promote", new JsonObject().put("to", "live").put("force", true)).statusCode()).isEqualTo(200);
        Await.until(Duration.ofSeconds(5), () -> a.gateway().config().routes().getFirst().position().toString().equals("live"));

        proxy.cut();
        JsonObject store = Await.until(Duration.ofSeconds(10), () -> {
            JsonObject s = json(get(a.adminPort(), "/health")).getJsonObject("store");
            return s.getString("status").equals("unreachable") ? s : null;
        });
        assertThat(store.getString("serving")).isEqualTo("last known state");
        assertThat(store.getString("unreachableSince")).isNotNull();
        // The read model says the numbers are unknown rather than showing none, and keeps the last known stage.
        JsonObject view = Await.until(Duration.ofSeconds(10), () -> {
            JsonObject r = dev.strangler.control.testing.Http.array(get(a.adminPort(), "/api/routes")).getJsonObject(0);
            return "store-unreachable".equals(r.getString("numbers")) ? r : null;
        });
        assertThat(view.getString("stage")).isEqualTo("live");
        assertThat(view.getValue("window")).isNull();
        assertThat(json(get(a.adminPort(), "/api/overview")).getString("store")).isEqualTo("unreachable");
        for (int i = 0; i < 20; i++) assertThat(get(a.port(), "/api/orders/" + i).statusCode()).isEqualTo(200);
        assertThat(a.gateway().config().routes().getFirst().position().toString()).isEqualTo("live");
        assertThat(post(a.adminPort(), "/api/routes/orders/rollback", new JsonObject().put("reason", "test")).statusCode())
                .isEqualTo(503);

        proxy.restore();
        Await.until(Duration.ofSeconds(15), () ->
                json(get(a.adminPort(), "/health")).getJsonObject("store").getString("status").equals("reachable"));
        assertThat(post(a.adminPort(), "/api/routes/orders/rollback", new JsonObject().put("reason", "after the outage"))
                .statusCode()).isEqualTo(200);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
