package dev.strangler.control.sync;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.stage.StaleReadRisk;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static dev.strangler.control.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload warns about reads the monolith can answer stale judging the stages the gateway serves,
 * not the ones written in the file: a write route moved to live through the API makes the next
 * reload warn although the file still says shadow.
 */
class ReloadWarningTest {
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
    void aReloadWarnsAboutStaleFallbackReadsFromTheRuntimeStagesOfTheRoutes() throws Exception {
        HttpServer monolith = backends.start(0, 0);
        HttpServer service = backends.start(0, 0);
        Path file = dir.resolve("strangler.yaml");
        String yaml = Gateways.config("jdbc:h2:file:" + dir.resolve("state"), monolith.actualPort(), service.actualPort(), "1h", """
                  - name: posts-write
                    match: { methods: [POST, PUT], path: /api/posts/** }
                    service: svc
                    stage: shadow
                  - name: posts-read
                    match: { methods: [GET], path: /api/posts/** }
                    service: svc
                    stage: live
                """);
        StranglerProcess process = gateways.start(file, yaml);
        int admin = process.adminPort();
        assertThat(post(admin, "/api/routes/posts-write/promote", new JsonObject()
                .put("to", new JsonObject().put("stage", "live")).put("force", true).put("reason", "writes first")).statusCode())
                .isEqualTo(200);

        Files.writeString(file, yaml.replace("access-log: false", "access-log: true"));
        JsonObject reload = Await.until(Duration.ofSeconds(20), () -> {
            JsonObject last = json(get(admin, "/health")).getJsonObject("lastReload");
            return last != null && last.getBoolean("applied") ? last : null;
        });

        JsonArray warnings = reload.getJsonArray("warnings");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getString(0)).startsWith("routes posts-write and posts-read: posts-write sends writes (POST, PUT) "
                + "of /api/posts/** to service svc (live), but posts-read's reads of /api/posts/** fall back to the monolith");
        // The file alone (what validate judges) says the writes are still in shadow: no warning from it.
        assertThat(StaleReadRisk.find(ConfigLoader.load(file).routes())).isEmpty();
    }
}
