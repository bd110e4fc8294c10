package dev.strangler.control.migration;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import dev.strangler.core.plan.SideSample;
import dev.strangler.store.MetricWindow;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;

import static dev.strangler.control.testing.Http.array;
import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static dev.strangler.control.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's promote meets the same gates as the controller's (issue 9, item 7): refused with the
 * failing gate and its numbers unless forced; a canary is lowered with {@code percent}, and every
 * refusal's hint names a command that works. The evidence is written to the store as the gateways'
 * windows would be.
 */
class PeopleSeeTheGatesTest {
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
                    automate: false
                    steps: [10, 50, 100]
                    gates: { min-requests: 50, min-match-rate: 99% }
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

    private void window(SideSample monolith, SideSample service, long compared, long matched) {
        Instant start = Instant.now();
        process.control().store().addWindow(new MetricWindow("gw-test", "orders", start, start.plusSeconds(1), monolith,
                service, compared, matched));
    }

    private static SideSample side(long requests, long errors) {
        double[] latencies = new double[(int) Math.min(requests, 200)];
        for (int i = 0; i < latencies.length; i++) latencies[i] = 5 + (i % 10) * 0.1;
        return new SideSample(requests, errors, latencies);
    }

    @Test
    void promotingAShadowWhoseAnswersDifferIsRefusedNamingTheMatchRateGateUntilForced() {
        move("promote", new JsonObject().put("to", "shadow"));
        window(SideSample.NONE, SideSample.NONE, 200, 0);

        HttpResponse<String> refused = move("promote", new JsonObject());
        assertThat(refused.statusCode()).isEqualTo(409);
        JsonObject problem = json(refused);
        assertThat(problem.getString("type")).endsWith("/gate-failed");
        assertThat(problem.getString("gate")).isEqualTo("min-match-rate");
        assertThat(problem.getString("detail")).isEqualTo("orders: gate min-match-rate fails: 0 of 200 shadow comparisons "
                + "matched (0.0%), required 99.0%");
        assertThat(problem.getString("hint")).isEqualTo("`strangler diff orders` shows what differs; "
                + "`strangler promote orders --to canary:10 --force` moves it anyway");
        assertThat(array(get(admin, "/api/routes")).getJsonObject(0).getString("stage")).isEqualTo("shadow");

        JsonObject forced = json(move("promote", new JsonObject().put("to", "canary:10").put("force", true).put("reason", "known diff")));
        assertThat(forced.getJsonObject("route").getString("stage")).isEqualTo("canary");
        assertThat(forced.getJsonObject("audit").getString("reason")).isEqualTo("known diff (forced)");
    }

    @Test
    void promotingACanaryWhoseServiceFailsIsRefusedNamingTheErrorGate() {
        move("promote", new JsonObject().put("to", "shadow"));
        move("promote", new JsonObject().put("to", "canary:10"));
        window(side(400, 0), side(400, 120), 0, 0);

        HttpResponse<String> refused = move("promote", new JsonObject());
        assertThat(refused.statusCode()).isEqualTo(409);
        JsonObject problem = json(refused);
        assertThat(problem.getString("gate")).isEqualTo("max-error-increase");
        assertThat(problem.getString("detail")).startsWith("orders: gate max-error-increase fails: ").contains("30.0%");
        assertThat(problem.getString("hint")).isEqualTo("`strangler status` shows the numbers; "
                + "`strangler promote orders --to canary:50 --force` moves it anyway");
    }

    @Test
    void aCanaryIsLoweredWithPercentAndPromoteToALowerShareNamesPercent() {
        move("promote", new JsonObject().put("to", "shadow"));
        move("promote", new JsonObject().put("to", "canary:50"));

        JsonObject problem = json(move("promote", new JsonObject().put("to", "canary:10")));
        assertThat(problem.getInteger("status")).isEqualTo(409);
        assertThat(problem.getString("detail")).isEqualTo("orders: canary 10% is behind canary 50%: promote only moves forward");
        assertThat(problem.getString("hint")).isEqualTo("`strangler percent orders 10 --reason TEXT` lowers the canary share");

        HttpResponse<String> noReason = move("percent", new JsonObject().put("percent", 10));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(json(noReason).getString("detail")).isEqualTo("lowering the canary share needs a reason: say what went wrong, "
                + "for the audit log");

        JsonObject lowered = json(move("percent", new JsonObject().put("percent", 10).put("reason", "p99 up at 50%")));
        assertThat(lowered.getJsonObject("route").getDouble("percent")).isEqualTo(10.0);
        assertThat(lowered.getJsonObject("audit").getString("action")).isEqualTo("set-percent");
        assertThat(lowered.getJsonObject("audit").getString("reason")).isEqualTo("p99 up at 50%");
        assertThat(lowered.getJsonObject("audit").getJsonObject("from").getDouble("percent")).isEqualTo(50.0);
    }

    @Test
    void settingAPercentOutsideCanaryNamesTheCommandThatGetsThere() {
        JsonObject fromMonolith = json(move("percent", new JsonObject().put("percent", 5)));
        assertThat(fromMonolith.getString("hint")).isEqualTo("`strangler promote orders --to canary:5` puts it in canary");

        move("promote", new JsonObject().put("to", "live").put("force", true).put("reason", "test"));
        JsonObject fromLive = json(move("percent", new JsonObject().put("percent", 5)));
        assertThat(fromLive.getString("hint")).isEqualTo("`strangler rollback orders --to canary:5 --reason TEXT` moves it back to canary");
        JsonObject back = json(move("rollback", new JsonObject().put("to", "canary:5").put("reason", "service p99")));
        assertThat(back.getJsonObject("route").getString("stage")).isEqualTo("canary");
    }
}
