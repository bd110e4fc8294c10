package dev.strangler.cli;

import dev.strangler.control.StranglerProcess;
import dev.strangler.core.config.ConfigLoader;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code strangler analyze} on an access log, on a running gateway and on the store of a stopped one. */
class AnalyzeCommandTest {
    @TempDir
    Path dir;

    /** A combined-format log of a small shop: read-heavy products, a users API with writes, a failing report. */
    private Path accessLog() throws Exception {
        List<String> lines = new ArrayList<>();
        String ua = "\"Mozilla/5.0 (X11; Linux x86_64) \\\"quoted\\\"\"";
        for (int i = 1; i <= 60; i++)
            lines.add("10.0.0." + (i % 7) + " - - [25/Nov/2026:10:" + String.format("%02d", i % 60) + ":00 +0000] \"GET /api/products/" + i
                    + " HTTP/1.1\" 200 512 \"-\" " + ua);
        for (int i = 1; i <= 20; i++)
            lines.add("::1 - alice [25/Nov/2026:11:00:00 +0000] \"GET /api/users/" + i + "?expand=orders HTTP/1.1\" 200 256 \"-\" " + ua);
        for (int i = 1; i <= 10; i++)
            lines.add("10.0.0.9 - - [25/Nov/2026:11:05:00 +0000] \"POST /api/users HTTP/1.1\" 201 64 \"-\" " + ua);
        for (int i = 1; i <= 5; i++)
            lines.add("10.0.0.9 - - [25/Nov/2026:11:06:00 +0000] \"GET /api/reports/yearly HTTP/1.1\" 500 12 \"-\" " + ua);
        lines.add("this is not a log line");
        Path file = dir.resolve("access.log");
        Files.write(file, lines);
        return file;
    }

    @Test
    void anAccessLogIsAnalyzedIntoTemplatesProgressAndARankingWithReasons() throws Exception {
        CommandResult r = CommandResult.run("analyze", "--access-log", accessLog().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("skipped 1 of 96 lines");
        assertThat(r.out()).contains("Endpoint catalog: 4 endpoints, 95 requests")
                .contains("/api/products/{productId}").contains("/api/users/{userId}").contains("/api/reports/yearly")
                .contains("Progress").contains("unclaimed").contains("Pilot ranking");
        // The read-only products group is the safest pilot; the failing reports group is last.
        assertThat(r.out().indexOf("/api/products ")).isLessThan(r.out().indexOf("/api/reports "));
    }

    @Test
    void junkInTheLogIsCountedApartAndNeitherMakesEndpointsNorPilots() throws Exception {
        Path log = accessLog();
        List<String> junk = new ArrayList<>();
        for (int i = 1; i <= 20; i++)
            junk.add("10.0.0.66 - - [25/Nov/2026:12:00:00 +0000] \"GET /api/products/-" + i + " HTTP/1.1\" 404 9 \"-\" \"scanner\"");
        junk.add("10.0.0.66 - - [25/Nov/2026:12:00:01 +0000] \"GET /wp-login.php HTTP/1.1\" 404 9 \"-\" \"scanner\"");
        junk.add("10.0.0.66 - - [25/Nov/2026:12:00:02 +0000] \"GET /.env HTTP/1.1\" 404 9 \"-\" \"scanner\"");
        Files.write(log, junk, java.nio.file.StandardOpenOption.APPEND);

        CommandResult r = CommandResult.run("analyze", "--access-log", log.toString());
        JsonObject json = new JsonObject(CommandResult.run("analyze", "--access-log", log.toString(), "--format", "json").out());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Endpoint catalog: 6 endpoints").doesNotContain("/api/products/-")
                .contains("Junk, kept out of progress and ranking (only ever answered 4xx): 2 endpoints, 2 requests");
        assertThat(r.out().substring(r.out().indexOf("Pilot ranking"))).doesNotContain("/wp-login.php").doesNotContain("/.env");
        JsonObject junkJson = json.getJsonObject("progress").getJsonObject("junk");
        assertThat(junkJson.getLong("endpoints")).isEqualTo(2);
        assertThat(junkJson.getJsonArray("examples").getList()).containsExactlyInAnyOrder("GET /wp-login.php", "GET /.env");
    }

    @Test
    void jsonMarkdownAndOpenApiFormatsCarryTheSameCatalog() throws Exception {
        Path log = accessLog();
        JsonObject json = new JsonObject(CommandResult.run("analyze", "--access-log", log.toString(), "--format", "json").out());
        assertThat(json.getJsonArray("endpoints")).hasSize(4);
        assertThat(json.getJsonObject("progress").getJsonObject("stages").getJsonObject("unclaimed").getDouble("requestShare"))
                .isEqualTo(1.0);
        assertThat(json.getJsonArray("ranking").getJsonObject(0).getString("prefix")).isEqualTo("/api/products");

        assertThat(CommandResult.run("analyze", "--access-log", log.toString(), "--format", "markdown").out())
                .contains("| GET | `/api/products/{productId}` | 60 |");

        String openapi = CommandResult.run("analyze", "--access-log", log.toString(), "--format", "openapi").out();
        var parsed = new OpenAPIV3Parser().readContents(openapi);
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/api/products/{productId}", "/api/users", "/api/reports/yearly");
        assertThat(parsed.getOpenAPI().getPaths().get("/api/reports/yearly").getGet().getResponses()).containsKey("500");
    }

    @Test
    void suggestedRoutesForAGroupLoadAsConfig() throws Exception {
        CommandResult r = CommandResult.run("analyze", "--access-log", accessLog().toString(), "--suggest-routes", "/api/users");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("routes:").contains("/api/users/**");
        String config = "monolith: { url: http://127.0.0.1:1 }\nservices:\n  users: { url: http://127.0.0.1:2 }\n" + r.out();
        assertThat(ConfigLoader.parse(config, dir.resolve("s.yaml"), java.util.Map.of()).routes()).isNotEmpty();

        CommandResult none = CommandResult.run("analyze", "--access-log", accessLog().toString(), "--suggest-routes", "/nothing");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no endpoint in the catalog starts with /nothing");
    }

    @Test
    void aRunningGatewayIsAskedAndAStoppedOnesStoreIsReadDirectly() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer backend = await(vertx.createHttpServer().requestHandler(req -> req.response().end("{}")).listen(0, "127.0.0.1"));
            int adminPort = freePort();
            Path file = dir.resolve("strangler.yaml");
            Files.writeString(file, """
                    listen: 127.0.0.1:0
                    admin: { listen: 127.0.0.1:%d, token: t0k }
                    store: { url: "jdbc:h2:file:%s" }
                    access-log: false
                    monolith: { url: http://127.0.0.1:%d }
                    services:
                      orders: { url: http://127.0.0.1:%d }
                    routes:
                      - name: orders
                        match: { path: /api/orders/** }
                        service: orders
                        stage: live
                    """.formatted(adminPort, dir.resolve("state"), backend.actualPort(), backend.actualPort()));
            StranglerProcess p = await(StranglerProcess.start(ConfigLoader.load(file), 1));
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/api/orders/1", "/api/orders/2", "/api/orders/3", "/api/users/1", "/api/users/2")) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
            }

            CommandResult running = CommandResult.run("analyze", "--config", file.toString(), "--format", "json");
            assertThat(running.exitCode()).as(running.err()).isZero();
            JsonObject live = new JsonObject(running.out());
            assertThat(live.getString("source")).startsWith("gateway http://127.0.0.1:" + adminPort);
            JsonObject stages = live.getJsonObject("progress").getJsonObject("stages");
            assertThat(stages.getJsonObject("live").getLong("requests")).isEqualTo(3);
            assertThat(stages.getJsonObject("unclaimed").getLong("requests")).isEqualTo(2);
            await(p.stop());

            CommandResult stopped = CommandResult.run("analyze", "--config", file.toString(), "--format", "json");
            assertThat(stopped.exitCode()).as(stopped.err()).isZero();
            assertThat(stopped.err()).contains("no gateway answers").contains("reading the state store");
            JsonObject fromStore = new JsonObject(stopped.out());
            assertThat(fromStore.getString("source")).startsWith("state store jdbc:h2:file:");
            assertThat(fromStore.getJsonObject("progress").getJsonObject("stages").getJsonObject("live").getLong("requests")).isEqualTo(3);
        } finally {
            await(vertx.close());
        }
    }

    @Test
    void aMissingAccessLogIsBadInput() {
        CommandResult r = CommandResult.run("analyze", "--access-log", dir.resolve("nope.log").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("nope.log does not exist");
    }

    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
