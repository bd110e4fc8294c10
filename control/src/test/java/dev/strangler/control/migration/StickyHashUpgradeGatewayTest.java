package dev.strangler.control.migration;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Gateways;
import dev.strangler.core.plan.Position;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyHash;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static dev.strangler.control.testing.Http.array;
import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through a real gateway: a route in canary when the store was upgraded sends each user to the
 * backend the previous version sent them to — what each backend received, by user.
 */
class StickyHashUpgradeGatewayTest {
    private static final int USERS = 1000;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final Gateways gateways = new Gateways();
    private final Set<String> monolithUsers = ConcurrentHashMap.newKeySet();
    private final Set<String> serviceUsers = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() {
        gateways.close();
        Await.result(vertx.close());
    }

    private HttpServer recording(Set<String> users) {
        return Await.result(vertx.createHttpServer().requestHandler(req -> {
            users.add(req.getHeader("x-user-id"));
            req.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
        }).listen(0, "127.0.0.1"));
    }

    /** Every user asks once; returns the users the service received. */
    private Set<String> round(StranglerProcess process) {
        monolithUsers.clear();
        serviceUsers.clear();
        for (int user = 0; user < USERS; user++) {
            assertThat(get(process.port(), "/api/orders/1", "X-User-Id", "user-" + user).statusCode()).isEqualTo(200);
        }
        assertThat(monolithUsers.size() + serviceUsers.size()).as("each user reached exactly one backend").isEqualTo(USERS);
        return new TreeSet<>(serviceUsers);
    }

    /** The data plane applies a change from the store on its sync thread: wait for it (bounded), never sleep. */
    private static void awaitServing(StranglerProcess process, String position, BucketFunction function) {
        Await.until(Duration.ofSeconds(10), () -> {
            var route = process.gateway().config().routes().getFirst();
            return route.position().toString().equals(position) && route.stickyHash() == function;
        });
    }

    private static Set<String> legacyServiceUsers(double percent) {
        Set<String> users = new TreeSet<>();
        for (int user = 0; user < USERS; user++) {
            if (StickyHash.legacyBucket("svc", "user-" + user) < StickyHash.threshold(percent)) users.add("user-" + user);
        }
        return users;
    }

    private static Set<String> nginxServiceUsers(double percent) {
        Set<String> users = new TreeSet<>();
        for (int user = 0; user < USERS; user++) {
            if (StickyHash.bucket("svc", "user-" + user) < StickyHash.threshold(percent)) users.add("user-" + user);
        }
        return users;
    }

    @Test
    void aCanaryRunningAtTheUpgradeSendsEveryUserToTheBackendThePreviousVersionDidUntilItLeavesCanary() {
        String storeUrl = "jdbc:h2:file:" + dir.resolve("state");
        try (StateStore store = StateStore.open(storeUrl)) {
            // The row as the store's V10 leaves a route that was at canary 10% (moved there by the API, the file says shadow).
            Instant at = Instant.parse("2026-11-30T12:00:00Z");
            store.create(new RouteState("orders", Stage.CANARY, 10, false, Stage.SHADOW, 0, at, 1).withStickyHash(BucketFunction.LEGACY),
                    new AuditEntry(0, at, "orders", "alice", "promote", Stage.SHADOW, 0, Stage.CANARY, 10, "before the upgrade", List.of()));
        }
        HttpServer monolith = recording(monolithUsers);
        HttpServer service = recording(serviceUsers);
        StranglerProcess process = gateways.start(dir.resolve("strangler.yaml"), Gateways.config(storeUrl, monolith.actualPort(),
                service.actualPort(), "1h", """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    stage: shadow
                    sticky: header:X-User-Id
                """));
        assertThat(array(get(process.adminPort(), "/api/routes")).getJsonObject(0).getString("stickyHash")).isEqualTo("legacy");

        Set<String> at10 = round(process);
        assertThat(at10).isEqualTo(legacyServiceUsers(10)).isNotEqualTo(nginxServiceUsers(10));

        assertThat(post(process.adminPort(), "/api/routes/orders/percent", new JsonObject().put("percent", 40)).statusCode()).isEqualTo(200);
        awaitServing(process, Position.canary(40).toString(), BucketFunction.LEGACY);
        Set<String> at40 = round(process);
        assertThat(at40).containsAll(at10).isEqualTo(legacyServiceUsers(40));

        assertThat(post(process.adminPort(), "/api/routes/orders/rollback", new JsonObject().put("reason", "diffs")).statusCode())
                .isEqualTo(200);
        assertThat(post(process.adminPort(), "/api/routes/orders/promote", new JsonObject()).statusCode()).isEqualTo(200);
        assertThat(array(get(process.adminPort(), "/api/routes")).getJsonObject(0).getString("stickyHash")).isEqualTo("nginx");
        double firstStep = array(get(process.adminPort(), "/api/routes")).getJsonObject(0).getDouble("percent");
        awaitServing(process, Position.canary(firstStep).toString(), BucketFunction.NGINX);
        assertThat(round(process)).as("the next canary draws with NGINX's function").isEqualTo(nginxServiceUsers(firstStep));
    }
}
