package dev.strangler.cli;

import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code strangler init} writes a starter config that loads as written, from an OpenAPI document or an access log. */
class InitCommandTest {
    @TempDir
    Path dir;

    private static final String OPENAPI = """
            openapi: 3.0.3
            info: { title: Blog, version: "1.0" }
            servers: [ { url: "https://blog.example.com/api" } ]
            paths:
              /posts:
                get: { responses: { '200': { description: ok } } }
                post: { responses: { '201': { description: created } } }
              /posts/{id}:
                get: { responses: { '200': { description: ok } } }
              /users/{id}:
                get: { responses: { '200': { description: ok } } }
              /users/{id}/avatar:
                put: { responses: { '204': { description: ok } } }
            """;

    @Test
    void fromAnOpenApiDocumentOneMonolithStageRoutePerEndpointGroupThatValidatesAsWritten() throws Exception {
        Path openapi = Files.writeString(dir.resolve("blog.yaml"), OPENAPI);
        Path out = dir.resolve("strangler.yaml");

        CommandResult r = CommandResult.run("init", "--openapi", openapi.toString(), "--monolith", "http://127.0.0.1:8081",
                "--output", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("wrote " + out + ": the monolith and 2 routes (at stage monolith)");
        GatewayConfig c = ConfigLoader.load(out);
        assertThat(c.monolith().urls()).containsExactly(URI.create("http://127.0.0.1:8081"));
        assertThat(c.routes()).extracting(Route::name).containsExactlyInAnyOrder("posts", "users");
        assertThat(c.routes()).allSatisfy(route -> assertThat(route.stage()).isEqualTo(Stage.MONOLITH));
        assertThat(c.routes()).extracting(route -> route.match().path().toString())
                .containsExactlyInAnyOrder("/api/posts/**", "/api/users/**");
        assertThat(c.services()).containsOnlyKeys("posts", "users");
        String text = Files.readString(out);
        assertThat(text).contains("# The legacy backend").contains("#   GET     /api/posts/{id}").contains("stage:   monolith now");
    }

    @Test
    void fromAnAccessLogTheGroupsAreTheOnesTheTrafficShows() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            log.append("10.0.0.1 - - [30/Nov/2026:10:00:").append(String.format("%02d", i)).append(" +0000] \"GET /shop/orders/")
                    .append(100 + i).append(" HTTP/1.1\" 200 512 \"-\" \"curl/8\"\n");
        }
        log.append("10.0.0.2 - - [30/Nov/2026:10:01:00 +0000] \"POST /shop/carts HTTP/1.1\" 201 40 \"-\" \"curl/8\"\n");
        log.append("not a log line\n");
        Path accessLog = Files.writeString(dir.resolve("access.log"), log);
        Path out = dir.resolve("from-log.yaml");

        CommandResult r = CommandResult.run("init", "--access-log", accessLog.toString(), "--monolith", "http://10.1.2.3:8080",
                "-o", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("init: skipped 1 of 32 lines");
        GatewayConfig c = ConfigLoader.load(out);
        assertThat(c.routes()).extracting(Route::name).containsExactlyInAnyOrder("orders", "carts"); // in PilotRanking order
        assertThat(c.routes()).allSatisfy(route -> assertThat(route.stage()).isEqualTo(Stage.MONOLITH));
        assertThat(Files.readString(out)).containsPattern("#   GET +/shop/orders/\\{\\w+} +\\(30 requests\\)")
                .contains("#   POST    /shop/carts  (1 request)");
    }

    @Test
    void anExistingFileIsKeptUnlessForce() throws Exception {
        Path openapi = Files.writeString(dir.resolve("blog.yaml"), OPENAPI);
        Path out = Files.writeString(dir.resolve("strangler.yaml"), "# mine\n");

        CommandResult refused = CommandResult.run("init", "--openapi", openapi.toString(), "--monolith", "http://127.0.0.1:8081",
                "--output", out.toString());
        assertThat(refused.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(refused.err()).contains(out + " exists; pass --force");
        assertThat(Files.readString(out)).isEqualTo("# mine\n");

        CommandResult forced = CommandResult.run("init", "--openapi", openapi.toString(), "--monolith", "http://127.0.0.1:8081",
                "--output", out.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.readString(out)).contains("routes:");
    }

    @Test
    void aSourceAndAMonolithUrlAreRequired() {
        assertThat(CommandResult.run("init", "--monolith", "http://127.0.0.1:8081").exitCode()).isEqualTo(Main.BAD_INPUT);
        CommandResult notUrl = CommandResult.run("init", "--openapi", "x.yaml", "--monolith", "127.0.0.1:8081", "-o", dir.resolve("s.yaml").toString());
        assertThat(notUrl.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(notUrl.err()).contains("--monolith: \"127.0.0.1:8081\" is not an http(s) URL");
    }
}
