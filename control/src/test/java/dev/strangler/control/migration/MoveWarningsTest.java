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
import java.util.List;

import static dev.strangler.control.testing.Http.array;
import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static dev.strangler.control.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A move through the admin API that creates a stale-read pair (writes on the service, reads of the
 * same paths answered by the monolith) is made, and answers with the warning validate would print;
 * its audit entry keeps it. A move that creates none, or keeps one that existed, answers none.
 */
class MoveWarningsTest {
    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();
    private int admin;

    @BeforeEach
    void start() {
        HttpServer monolith = backends.start(0, 0);
        HttpServer service = backends.start(0, 0);
        StranglerProcess process = gateways.start(dir.resolve("strangler.yaml"), Gateways.config("jdbc:h2:file:" + dir.resolve("state"),
                monolith.actualPort(), service.actualPort(), "1h", """
                  - name: orders-write
                    match: { methods: [POST, PUT], path: /api/orders/** }
                    service: svc
                  - name: orders-read
                    match: { methods: [GET], path: /api/orders/** }
                    service: svc
                """));
        admin = process.adminPort();
    }

    @AfterEach
    void stop() {
        gateways.close();
        backends.close();
    }

    private JsonObject move(String route, String action, JsonObject body) {
        HttpResponse<String> r = post(admin, "/api/routes/" + route + "/" + action, body.put("force", true), "X-Strangler-Actor", "cli:alice");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private static List<String> warnings(JsonObject change) {
        return change.getJsonArray("warnings").stream().map(Object::toString).toList();
    }

    @Test
    void movingWritesToTheServiceWhileReadsStayOnTheMonolithIsMadeAndAnswersWithTheWarningTheAuditKeeps() {
        JsonObject change = move("orders-write", "promote", new JsonObject().put("to", "live").put("reason", "writes first"));

        assertThat(change.getJsonObject("route").getString("stage")).as("warned, not refused").isEqualTo("live");
        String warning = "routes orders-write and orders-read: orders-write sends writes (POST, PUT) of /api/orders/** to service svc "
                + "(live), but orders-read's reads of /api/orders/** are still answered by the monolith (orders-read is in monolith), "
                + "and the monolith no longer sees those writes: it can answer them stale or missing (e.g. 404 for a record created "
                + "on the service); move orders-read to live before (or with) orders-write";
        assertThat(warnings(change)).containsExactly(warning);
        assertThat(change.getJsonObject("audit").getJsonArray("evidence")).containsExactly("warning: " + warning);
        JsonArray log = array(get(admin, "/api/audit?route=orders-write&limit=1"));
        assertThat(log.getJsonObject(0).getString("reason")).isEqualTo("writes first (forced)");
        assertThat(log.getJsonObject(0).getJsonArray("evidence")).containsExactly("warning: " + warning);
    }

    @Test
    void promotePercentAndRollbackEachWarnWhenTheyCreateAPairAndOnlyThen() {
        assertThat(warnings(move("orders-read", "promote", new JsonObject().put("to", "shadow")))).as("no writes moved yet").isEmpty();
        assertThat(warnings(move("orders-write", "promote", new JsonObject().put("to", "live")))).singleElement().asString()
                .contains("still answered by the monolith (orders-read is in shadow)");
        assertThat(warnings(move("orders-read", "promote", new JsonObject().put("to", "canary:10"))))
                .as("the monolith still answers some reads: the pair existed before this move").isEmpty();

        List<String> atFull = warnings(move("orders-read", "percent", new JsonObject().put("percent", 100)));
        assertThat(atFull).as("every read on the service now, but they fall back to the monolith").singleElement().asString()
                .startsWith("routes orders-write and orders-read: ").contains("fall back to the monolith when the service fails");

        List<String> back = warnings(move("orders-read", "rollback", new JsonObject().put("to", "shadow").put("reason", "p99")));
        assertThat(back).singleElement().asString().contains("still answered by the monolith (orders-read is in shadow)");
        assertThat(warnings(move("orders-write", "rollback", new JsonObject().put("to", "shadow").put("reason", "undo"))))
                .as("writes back on the monolith: no pair").isEmpty();
    }
}
