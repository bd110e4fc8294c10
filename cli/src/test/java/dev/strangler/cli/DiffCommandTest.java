package dev.strangler.cli;

import dev.strangler.control.StranglerProcess;
import dev.strangler.core.config.AdminSettings;
import dev.strangler.core.config.Backend;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.config.HostPort;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DiffCommandTest {

    @Test
    void diffPrintsTheRoutesMatchRateDifferingPathsAndSamples() throws Exception {
        Vertx vertx = Vertx.vertx();
        StranglerProcess process = null;
        try {
            HttpServer monolith = await(vertx.createHttpServer().requestHandler(r -> r.response()
                    .putHeader("Content-Type", "application/json").end("{\"id\":1,\"price\":10}")).listen(0, "127.0.0.1"));
            HttpServer service = await(vertx.createHttpServer().requestHandler(r -> r.response()
                    .putHeader("Content-Type", "application/json").end("{\"id\":1,\"price\":12}")).listen(0, "127.0.0.1"));
            Route route = Route.of("items", RouteMatch.path("/api/items/**"), "items").withStage(Stage.SHADOW);
            GatewayConfig c = GatewayConfig.of(Backend.of(Backend.MONOLITH, URI.create("http://127.0.0.1:" + monolith.actualPort())),
                    Map.of("items", Backend.of("items", URI.create("http://127.0.0.1:" + service.actualPort()))), List.of(route));
            c = new GatewayConfig(c.source(), c.listen(), c.tls(), new AdminSettings(new HostPort("127.0.0.1", 0), Optional.of("t0k")),
                    c.storeUrl(), c.monolith(), c.services(), c.routes(), false, c.drainTimeout(), Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
            process = await(StranglerProcess.start(c, 1));
            try (HttpClient http = HttpClient.newHttpClient()) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.port() + "/api/items/1")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            String admin = "http://127.0.0.1:" + process.adminPort();

            CommandResult report = null;
            for (int i = 0; i < 100; i++) { // the comparison lands just after the user's answer
                report = CommandResult.run("diff", "items", "--admin", admin, "--token", "t0k");
                if (report.out().contains("1 compared")) break;
                Thread.sleep(50);
            }
            assertThat(report.exitCode()).isZero();
            assertThat(report.out()).contains("route items: 1 compared, 0 matched, 1 differed (match rate 0.0 %)")
                    .containsPattern("\\$\\.price +1 +real +- +10 -> 12")
                    .contains("GET /api/items/1  differed")
                    .containsPattern("against service items \\([0-9a-f]{8}\\), since \\S+, summed over 1 gateway\n");

            CommandResult noToken = CommandResult.run("diff", "items", "--admin", admin, "--token", "");
            assertThat(noToken.exitCode()).isEqualTo(Main.BAD_INPUT);
            assertThat(noToken.err()).contains("wants a token");
            CommandResult unknown = CommandResult.run("diff", "nope", "--admin", admin, "--token", "t0k");
            assertThat(unknown.exitCode()).isEqualTo(Main.BAD_INPUT);
            assertThat(unknown.err()).contains("no shadow results for route nope");
        } finally {
            if (process != null) await(process.stop());
            await(vertx.close());
        }
    }

    @Test
    void diffNamesTheServiceAndSaysWhenOlderResultsForAnotherServiceAreKept() {
        JsonObject detail = new JsonObject("""
                {"route":"items","comparisons":1,"matches":1,"mismatches":0,"matchRate":1.0,"dropped":{},
                 "paths":[],"samples":[],"service":"items-v2","serviceDigest":"0123456789abcdef","fleet":true,
                 "gateways":2,"since":"2026-11-30T10:00:00Z",
                 "older":[{"service":"items","serviceDigest":"fedcba9876543210","comparisons":40,"matches":10,
                           "matchRate":0.25,"lastUpdated":"2026-11-30T09:59:00Z"}]}""");

        String report = DiffCommand.report(detail);

        assertThat(report).contains("against service items-v2 (01234567), since 2026-11-30T10:00:00Z, summed over 2 gateways")
                .contains("older results kept for service items (fedcba98): 40 compared, match rate 25.0 %, last 2026-11-30T09:59:00Z");
    }

    @Test
    void diffShowsTheEvidenceBehindEachNoiseJudgement() {
        JsonObject detail = new JsonObject("""
                {"route":"items","comparisons":50,"matches":50,"mismatches":0,"matchRate":1.0,"dropped":{},
                 "paths":[{"path":"$.timestamp","mismatches":50,"kinds":{"VALUE":50},"noise":"NOISE_CONFIRMED",
                           "noiseEvidence":{"pairs":40,"differed":38,"share":0.95},"monolith":"1","service":"2"}],
                 "samples":[]}""");

        assertThat(DiffCommand.report(detail))
                .containsPattern("\\$\\.timestamp +50 +noise confirmed +differed 38 of 40 \\(95%\\) +1 -> 2");
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
