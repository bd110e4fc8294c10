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
        gateways.stop(first);

        // Same file, new process: the route is where the API moved it, not where the file says.
        StranglerProcess second = gateways.start(file);
        assertThat(second.gateway().config().routes().getFirst().position().toString()).isEqualTo("canary 25%");
        JsonObject route = array(get(second.adminPort(), "/api/routes")).getJsonObject(0);
        assertThat(route.getString("stage")).isEqualTo("canary");
        assertThat(route.getDouble("percent")).isEqualTo(25.0);

        // The operator edits the file: it differs from what was last applied from it, so it wins.
        Gateways.write(file, shadowFile.replace("stage: shadow", "stage: live"));
        Await.until(Duration.ofSeconds(10), () -> second.gateway().config().routes().getFirst().position().toString().equals("live"));
        JsonObject last = array(get(second.adminPort(), "/api/audit?route=orders&limit=1")).getJsonObject(0);
        assertThat(last.getString("actor")).isEqualTo("config");
        assertThat(last.getString("action")).isEqualTo("config");
        assertThat(last.getJsonObject("from").getString("stage")).isEqualTo("canary");
        assertThat(last.getJsonObject("to").getString("stage")).isEqualTo("live");
        assertThat(last.getString("reason")).contains("changed the route from shadow to live");
        gateways.stop(second);

        StranglerProcess third = gateways.start(file);
        assertThat(third.gateway().config().routes().getFirst().position().toString()).isEqualTo("live");
        assertThat(json(get(third.adminPort(), "/health")).getJsonObject("store").getBoolean("shared"))
                .isEqualTo(storeUrl.startsWith("jdbc:postgresql:"));
    }
}
