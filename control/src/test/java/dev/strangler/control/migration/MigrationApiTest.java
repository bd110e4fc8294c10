package dev.strangler.control.migration;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dev.strangler.control.testing.Http.array;
import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static dev.strangler.control.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/** Moving routes through the admin API of a real gateway: allowed moves, refusals, and the audit log. */
class MigrationApiTest {
    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();
    private StranglerProcess process;
    private int admin;

    @BeforeEach
    void start() {
        HttpServer monolith = backends.start(0, 0);
        HttpServer service = backends.start(0, 0);
        process = gateways.start(dir.resolve("strangler.yaml"), Gateways.config("jdbc:h2:file:" + dir.resolve("state"),
                monolith.actualPort(), service.actualPort(), "1h", """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    steps: [10, 50, 100]
                """));
        admin = process.adminPort();
    }

    @AfterEach
    void stop() {
        gateways.close();
        backends.close();
    }

    private HttpResponse<String> move(String action, JsonObject body) {
        return post(admin, "/api/routes/orders/" + action, body, "X-Strangler-Actor", "cli:alice");
    }

    @Test
    void aStageWithoutAShareHasPercentNullInTheRouteAndTheAuditNotZero() {
        JsonObject shadow = json(move("promote", new JsonObject()));
        assertThat(shadow.getJsonObject("route").containsKey("percent")).isTrue();
        assertThat(shadow.getJsonObject("route").getValue("percent")).isNull();
        assertThat(shadow.getJsonObject("audit").getJsonObject("to")).isEqualTo(new JsonObject().put("stage", "shadow").putNull("percent"));

        JsonObject live = json(move("promote", new JsonObject().put("to", "live").put("force", true)));
        assertThat(live.getJsonObject("audit").getJsonObject("from")).isEqualTo(new JsonObject().put("stage", "shadow").putNull("percent"));
        assertThat(live.getJsonObject("audit").getJsonObject("to")).isEqualTo(new JsonObject().put("stage", "live").putNull("percent"));
        assertThat(live.getJsonObject("route").getValue("percent")).isNull();
    }

    @Test
    void promoteWithoutATargetTakesTheNextStepOfThePlanAndIsAudited() {
        assertThat(json(move("promote", new JsonObject().put("reason", "pilot"))).getJsonObject("route").getString("stage"))
                .isEqualTo("shadow");
        JsonObject change = json(move("promote", new JsonObject()));
        assertThat(change.getJsonObject("route").getString("stage")).isEqualTo("canary");
        assertThat(change.getJsonObject("route").getDouble("percent")).isEqualTo(10.0);
        assertThat(change.getJsonObject("route").getJsonObject("next")).isEqualTo(new JsonObject().put("stage", "canary").put("percent", 50.0));
        JsonObject audit = change.getJsonObject("audit");
        assertThat(audit.getLong("id")).isPositive();
        assertThat(audit.getString("actor")).isEqualTo("cli:alice");
        assertThat(audit.getString("action")).isEqualTo("promote");
        assertThat(audit.getJsonObject("from").getString("stage")).isEqualTo("shadow");

        JsonArray log = array(get(admin, "/api/audit?route=orders"));
        assertThat(log.stream().map(e -> ((JsonObject) e).getString("action")).toList()).containsExactly("promote", "promote", "create");
        assertThat(log.getJsonObject(1).getString("reason")).isEqualTo("pilot");
        assertThat(log.getJsonObject(2).getString("actor")).isEqualTo("config");
    }

    @Test
    void skippingStagesIsRefusedWith409AndAHintUntilForced() {
        HttpResponse<String> refused = move("promote", new JsonObject().put("to", "live"));
        assertThat(refused.statusCode()).isEqualTo(409);
        JsonObject problem = json(refused);
        assertThat(problem.getString("type")).endsWith("/invalid-transition");
        assertThat(problem.getString("detail")).isEqualTo("orders: monolith → live skips shadow and canary, so the service "
                + "would serve users without its answers ever being compared with the monolith's");
        assertThat(problem.getString("hint")).isEqualTo("`strangler promote orders` moves one step at a time (next: shadow); "
                + "`strangler promote orders --to live --force` skips");
        assertThat(array(get(admin, "/api/audit?route=orders")).size()).isEqualTo(1); // only "create": nothing changed

        JsonObject forced = json(move("promote", new JsonObject().put("to", new JsonObject().put("stage", "live")).put("force", true)
                .put("reason", "hotfix")));
        assertThat(forced.getJsonObject("route").getString("stage")).isEqualTo("live");
        assertThat(forced.getJsonObject("audit").getString("reason")).isEqualTo("hotfix (forced)");
    }

    @Test
    void aRollbackNeedsAReasonAndGoesBackToShadow() {
        move("promote", new JsonObject().put("to", "shadow"));
        move("promote", new JsonObject().put("to", "canary:50"));
        HttpResponse<String> noReason = move("rollback", new JsonObject());
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(json(noReason).getString("detail")).contains("needs a reason");

        JsonObject back = json(move("rollback", new JsonObject().put("reason", "p99 doubled")));
        assertThat(back.getJsonObject("route").getString("stage")).isEqualTo("shadow");
        assertThat(back.getJsonObject("audit").getString("action")).isEqualTo("rollback");
        assertThat(back.getJsonObject("audit").getString("reason")).isEqualTo("p99 doubled");
    }

    @Test
    void thePercentCanOnlyBeSetInCanaryAndPauseAndResumeAreAudited() {
        assertThat(move("percent", new JsonObject().put("percent", 30)).statusCode()).isEqualTo(409);
        move("promote", new JsonObject());
        move("promote", new JsonObject());
        JsonObject set = json(move("percent", new JsonObject().put("percent", 30)));
        assertThat(set.getJsonObject("route").getDouble("percent")).isEqualTo(30.0);
        assertThat(move("percent", new JsonObject().put("percent", 300)).statusCode()).isEqualTo(400);

        assertThat(json(move("pause", new JsonObject().put("reason", "holiday"))).getJsonObject("route").getBoolean("paused")).isTrue();
        assertThat(move("pause", new JsonObject()).statusCode()).isEqualTo(409);
        assertThat(json(move("resume", new JsonObject())).getJsonObject("route").getBoolean("paused")).isFalse();
        assertThat(array(get(admin, "/api/audit?route=orders&limit=2")).stream()
                .map(e -> ((JsonObject) e).getString("action")).toList()).containsExactly("resume", "pause");
    }

    @Test
    void aPromotionChangesWhoServesUsersAtOnce() {
        assertThat(process.gateway().config().routes().getFirst().stage().configName()).isEqualTo("monolith");
        move("promote", new JsonObject().put("to", "live").put("force", true));
        assertThat(dev.strangler.control.testing.Await.until(java.time.Duration.ofSeconds(2), () ->
                process.gateway().config().routes().getFirst().stage() == dev.strangler.core.stage.Stage.LIVE)).isTrue();
        HttpResponse<String> user = get(process.port(), "/api/orders/1");
        assertThat(user.statusCode()).isEqualTo(200);
    }

    @Test
    void badRequestsAreRefusedWithProblems() {
        assertThat(post(admin, "/api/routes/nope/promote", new JsonObject()).statusCode()).isEqualTo(404);
        assertThat(json(post(admin, "/api/routes/nope/promote", new JsonObject())).getString("detail"))
                .isEqualTo("no route named nope in the config (routes: orders)");
        assertThat(move("promote", new JsonObject().put("to", "moon")).statusCode()).isEqualTo(400);
        assertThat(get(admin, "/api/audit?limit=5000").statusCode()).isEqualTo(400);
        assertThat(move("promote", new JsonObject().put("force", "yes")).statusCode()).isEqualTo(400);
        assertThat(move("promote", new JsonObject().put("reason", 42)).statusCode()).isEqualTo(400);
        HttpResponse<String> essay = move("rollback", new JsonObject().put("reason", "x".repeat(Migration.MAX_REASON_LENGTH + 1)));
        assertThat(essay.statusCode()).isEqualTo(400); // bad input, not "store unavailable"
        assertThat(json(essay).getString("detail")).contains("at most 2000");
        HttpResponse<String> notJson = dev.strangler.control.testing.Http.post(admin, "/api/routes/orders/promote", null);
        assertThat(notJson.statusCode()).isEqualTo(200); // an empty body means "no options"
    }

    @Test
    void routesListTheirRuntimeStateAndHealthShowsTheStore() {
        move("promote", new JsonObject());
        JsonObject route = array(get(admin, "/api/routes")).getJsonObject(0);
        assertThat(route.getString("stage")).isEqualTo("shadow");
        assertThat(route.getBoolean("automated")).isTrue();
        assertThat(route.getString("since")).isNotNull();
        assertThat(route.getJsonArray("steps")).containsExactly(10.0, 50.0);
        assertThat(route.getJsonObject("window").getJsonObject("shadow").getLong("compared")).isNotNull();
        JsonObject store = json(get(admin, "/health")).getJsonObject("store");
        assertThat(store.getString("status")).isEqualTo("reachable");
        assertThat(store.getString("controller")).isIn("leading", "standby");
    }

    @Test
    void aRouteHeldAfterAnAutomaticRollbackShowsUntilWhenInTheRouteList() {
        move("promote", new JsonObject());
        var store = process.control().store();
        var state = store.routeState("orders").orElseThrow();
        java.time.Instant until = java.time.Instant.now().plus(java.time.Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        assertThat(store.compareAndSet(state.version(), state.withHold(java.util.Optional.of(
                new dev.strangler.store.RouteState.Hold(until, "digest")), 1), null)).isTrue();

        JsonObject route = array(get(admin, "/api/routes")).getJsonObject(0);
        assertThat(route.getJsonObject("hold").getString("until")).isEqualTo(until.toString());
        assertThat(route.getJsonObject("hold").getString("summary")).isEqualTo("held after rollback until " + until
                + " (`strangler resume orders` lifts it)");
        assertThat(route.getInteger("automaticRollbacks")).isEqualTo(1);

        JsonObject resumed = json(move("resume", new JsonObject().put("reason", "fixed")));
        assertThat(resumed.getJsonObject("route").getValue("hold")).isNull();
    }

    @Test
    void aPersonsMoveClearsTheControllersLastDecisionWhichSpokeOfTheOldPosition() {
        var store = process.control().store();
        store.saveDecision(new dev.strangler.store.RouteDecision("orders", java.time.Instant.now(), "hold",
                "waiting for 200 comparisons (12 so far)", java.util.List.of()));
        assertThat(array(get(admin, "/api/routes")).getJsonObject(0).getJsonObject("lastDecision").getString("summary"))
                .isEqualTo("waiting for 200 comparisons (12 so far)");

        JsonObject moved = json(move("promote", new JsonObject().put("reason", "looks fine")));

        assertThat(moved.getJsonObject("route").getValue("lastDecision")).isNull();
        assertThat(array(get(admin, "/api/routes")).getJsonObject(0).getValue("lastDecision")).isNull();
        assertThat(store.decisions()).isEmpty();
    }
}
