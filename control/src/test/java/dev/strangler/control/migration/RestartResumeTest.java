package dev.strangler.control.migration;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import dev.strangler.control.testing.Postgres;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static dev.strangler.control.testing.Http.array;
import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static dev.strangler.control.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN's "file versus runtime state": a restart resumes where each route was moved to, and an
 * edited file still takes effect (audited as made by {@code config}) — on H2 and on PostgreSQL.
 */
class RestartResumeTest {
    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();
    private Postgres postgres;

    @AfterEach
    void stop() {
        gateways.close();
        backends.close();
        if (postgres != null) postgres.close();
    }

    @Test
    void aRestartOnH2ResumesWhereTheRouteWasAndAnEditedFileWins() {
        resumesAndFileWins("jdbc:h2:file:" + dir.resolve("state"));
    }

    @Test
    void aRestartOnPostgresResumesWhereTheRouteWasAndAnEditedFileWins() {
        postgres = Postgres.schemaOrSkip();
        resumesAndFileWins(postgres.url());
    }

    private void resumesAndFileWins(String storeUrl) {
        HttpServer monolith = backends.healthy();
        HttpServer service = backends.healthy();
        Path file = dir.resolve("strangler.yaml");
        String shadowFile = Gateways.config(storeUrl, monolith.actualPort(), service.actualPort(), "1h", """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    stage: shadow
                """);
        StranglerProcess first = gateways.start(file, shadowFile);
        assertThat(post(first.adminPort(), "/api/routes/orders/promote", new JsonObject().put("to", "canary:25")).statusCode())
                .isEqualTo(200);
        String promotedAt = array(get(first.adminPort(), "/api/routes")).getJsonObject(0).getString("since");
        gateways.stop(first);

        // Same file, new process: the route is where the API moved it, not where the file says, and
        // its step goes on (the same service: nothing starts again).
        StranglerProcess second = gateways.start(file);
        assertThat(second.gateway().config().routes().getFirst().position().toString()).isEqualTo("canary 25%");
        JsonObject route = array(get(second.adminPort(), "/api/routes")).getJsonObject(0);
        assertThat(route.getString("stage")).isEqualTo("canary");
        assertThat(route.getDouble("percent")).isEqualTo(25.0);
        assertThat(route.getString("since")).isEqualTo(promotedAt);
        assertThat(array(get(second.adminPort(), "/api/audit?route=orders&limit=1")).getJsonObject(0).getString("action"))
                .isEqualTo("promote");

        // The operator edits the file: it differs from what was last applied from it, so it wins.
        Gateways.write(file, shadowFile.replace("stage: shadow", "stage: live"));
        Await.until(Duration.ofSeconds(10), () -> second.gateway().config().routes().getFirst().position().toString().equals("live"));
        JsonObject last = array(get(second.adminPort(), "/api/audit?route=orders&limit=1")).getJsonObject(0);
        assertThat(last.getString("actor")).isEqualTo("config");
        assertThat(last.getString("action")).isEqualTo("config");
        assertThat(last.getJsonObject("from").getString("stage")).isEqualTo("canary");
        assertThat(last.getJsonObject("to").getString("stage")).isEqualTo("live");
        assertThat(last.getString("reason")).contains("changed the route from shadow to live");

        // Started again with the service moved elsewhere while the process was down: the route stays
        // live, but its step starts again, so the outage guard judges only the new deployment.
        String wentLive = array(get(second.adminPort(), "/api/routes")).getJsonObject(0).getString("since");
        gateways.stop(second);
        HttpServer moved = backends.healthy();
        Gateways.write(file, shadowFile.replace("stage: shadow", "stage: live")
                .replace("127.0.0.1:" + service.actualPort() + " }", "127.0.0.1:" + moved.actualPort() + " }"));
        StranglerProcess third = gateways.start(file);
        assertThat(third.gateway().config().routes().getFirst().position().toString()).isEqualTo("live");
        JsonObject restarted = array(get(third.adminPort(), "/api/audit?route=orders&limit=1")).getJsonObject(0);
        assertThat(restarted.getString("actor")).isEqualTo("config");
        assertThat(restarted.getString("reason")).contains("service svc's definition changed", "the live step starts again");
        assertThat(Instant.parse(array(get(third.adminPort(), "/api/routes")).getJsonObject(0).getString("since")))
                .isAfter(Instant.parse(wentLive));
        assertThat(json(get(third.adminPort(), "/health")).getJsonObject("store").getBoolean("shared"))
                .isEqualTo(storeUrl.startsWith("jdbc:postgresql:"));
    }
}
