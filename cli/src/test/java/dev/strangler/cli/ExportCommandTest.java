package dev.strangler.cli;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.export.istio.IstioManifests;
import dev.strangler.control.export.istio.IstioModel;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.Stage;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code strangler export} against a real gateway: the positions it exports, where it got them, and the audit. */
class ExportCommandTest {
    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private StranglerProcess process;

    @AfterEach
    void stop() throws Exception {
        if (process != null) await(process.stop());
        await(vertx.close());
    }

    private Path config(int backendPort) throws Exception {
        Path file = dir.resolve("strangler.yaml");
        Files.writeString(file, """
                listen: 127.0.0.1:0
                admin: { listen: 127.0.0.1:0, token: s3cret }
                store: { url: "jdbc:h2:file:%s" }
                access-log: false
                monolith: { url: http://127.0.0.1:%d }
                services:
                  posts: { url: http://127.0.0.1:%d }
                routes:
                  - name: posts-read
                    match: { methods: [GET], path: /api/posts/** }
                    service: posts
                    stage: shadow
                    sticky: header:X-User-Id
                """.formatted(dir.resolve("state"), backendPort, backendPort));
        return file;
    }

    @Test
    void anExportFollowsTheGatewaysRuntimeStageAndIsAudited() throws Exception {
        HttpServer backend = await(vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1"));
        Path file = config(backend.actualPort());
        process = await(StranglerProcess.start(ConfigLoader.load(file), 1));
        String admin = "http://127.0.0.1:" + process.adminPort();
        CommandResult promoted = CommandResult.run("promote", "posts-read", "--admin", admin, "--token", "s3cret");
        assertThat(promoted.exitCode()).as(promoted.err()).isZero();
        CommandResult percent = CommandResult.run("percent", "posts-read", "12.5", "--admin", admin, "--token", "s3cret");
        assertThat(percent.exitCode()).as(percent.err()).isZero();

        Path out = dir.resolve("nginx");
        CommandResult export = CommandResult.run("export", "--format", "nginx", "--config", file.toString(),
                "--admin", admin, "--token", "s3cret", "--out", out.toString());

        assertThat(export.exitCode()).as(export.err()).isZero();
        String written = Files.readString(out.resolve("strangler-nginx.conf"));
        assertThat(written).contains("split_clients \"posts:${strangler_key_r0}\" $strangler_side_r0 {")
                .contains("12.50% service;").doesNotContain("mirror /_strangler_shadow");
        try (StateStore store = StateStore.open("jdbc:h2:file:" + dir.resolve("state"))) {
            List<AuditEntry> audit = store.audit(Optional.of("posts-read"), 10);
            assertThat(audit.getFirst().actor()).isEqualTo("export");
            assertThat(audit.getFirst().action()).isEqualTo("export");
            assertThat(audit.getFirst().toPercent()).isEqualTo(12.5);
        }
    }

    @Test
    void aCanaryStillOnTheLegacyStickyHashIsExportedWithTheWarningUntilItLeavesCanary() throws Exception {
        HttpServer backend = await(vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1"));
        Path file = config(backend.actualPort());
        try (StateStore store = StateStore.open("jdbc:h2:file:" + dir.resolve("state"))) {
            // As the store's V10 leaves a route that was in canary at the upgrade (the file still says shadow, as applied before).
            Instant at = Instant.parse("2026-11-30T12:00:00Z");
            store.create(new RouteState("posts-read", Stage.CANARY, 10, false, Stage.SHADOW, 0, at, 1).withStickyHash(BucketFunction.LEGACY),
                    new AuditEntry(0, at, "posts-read", "person", "promote", Stage.SHADOW, 0, Stage.CANARY, 10, "before the upgrade", List.of()));
        }
        process = await(StranglerProcess.start(ConfigLoader.load(file), 1));
        String admin = "http://127.0.0.1:" + process.adminPort();

        CommandResult legacy = CommandResult.run("export", "--format", "nginx", "--config", file.toString(), "--admin", admin, "--token", "s3cret");
        assertThat(legacy.exitCode()).as(legacy.err()).isZero();
        assertThat(legacy.out()).contains("10.00% service;").contains("# NOT the same users as Strangler");

        CommandResult back = CommandResult.run("rollback", "posts-read", "--reason", "diffs", "--admin", admin, "--token", "s3cret");
        assertThat(back.exitCode()).as(back.err()).isZero();
        CommandResult again = CommandResult.run("promote", "posts-read", "--admin", admin, "--token", "s3cret");
        assertThat(again.exitCode()).as(again.err()).isZero();
        CommandResult nginx = CommandResult.run("export", "--format", "nginx", "--config", file.toString(), "--admin", admin, "--token", "s3cret");
        assertThat(nginx.exitCode()).as(nginx.err()).isZero();
        assertThat(nginx.out()).contains("1.00% service;").contains("the same users as Strangler.").doesNotContain("NOT the same users");
    }

    @Test
    void watchRewritesTheFileAndRunsTheReloadCommandWhenARouteMoves() throws Exception {
        HttpServer backend = await(vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1"));
        Path file = config(backend.actualPort());
        process = await(StranglerProcess.start(ConfigLoader.load(file), 1));
        String admin = "http://127.0.0.1:" + process.adminPort();
        Path out = dir.resolve("nginx");
        Path reloads = dir.resolve("reloads");

        CompletableFuture<CommandResult> watching = CompletableFuture.supplyAsync(() -> CommandResult.run("export", "--format", "nginx",
                "--config", file.toString(), "--admin", admin, "--token", "s3cret", "--out", out.toString(), "--watch",
                "--interval", "50ms", "--max-exports", "2", "--reload", "echo reloaded >> '" + reloads + "'"));
        awaitLines(reloads, 1, watching);
        assertThat(Files.readString(out.resolve("strangler-nginx.conf"))).contains("mirror /_strangler_shadow/posts_read;");

        CommandResult promoted = CommandResult.run("promote", "posts-read", "--admin", admin, "--token", "s3cret");
        assertThat(promoted.exitCode()).as(promoted.err()).isZero();
        CommandResult watched = watching.get(30, TimeUnit.SECONDS);

        assertThat(watched.exitCode()).as(watched.err()).isZero();
        assertThat(Files.readAllLines(reloads)).containsExactly("reloaded", "reloaded");
        assertThat(Files.readString(out.resolve("strangler-nginx.conf"))).contains("1.00% service;").doesNotContain("mirror /_strangler_shadow");
        try (StateStore store = StateStore.open("jdbc:h2:file:" + dir.resolve("state"))) {
            assertThat(store.audit(Optional.of("posts-read"), 10).stream().filter(e -> e.actor().equals("export")).count()).isEqualTo(2);
        }
    }

    /** Waits (bounded) until the watcher has reloaded {@code n} times; fails early if it stopped. */
    private static void awaitLines(Path file, int n, CompletableFuture<CommandResult> watcher) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(file) && Files.readAllLines(file).size() >= n)) {
            if (watcher.isDone()) throw new AssertionError("the watcher stopped: " + watcher.get().err());
            if (System.nanoTime() > deadline) throw new AssertionError("no reload within 30 s");
            try {
                watcher.get(20, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillWatching) {
                // poll again
            }
        }
    }

    @Test
    void withoutAGatewayOrAStoredStateTheFilesStagesAreExportedAndStderrSaysSo() throws Exception {
        Path file = config(1);
        CommandResult export = CommandResult.run("export", "--format", "nginx", "--config", file.toString(), "--admin", "http://127.0.0.1:1");

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.err()).contains("exporting the stages written in the config file");
        assertThat(export.out()).contains("mirror /_strangler_shadow/posts_read;").contains("# route posts-read");
    }

    @Test
    void istioIsAFormatWhoseOutputReadsBackAsAVirtualServiceMirroringTheShadowRoute() throws Exception {
        Path file = config(1);
        CommandResult export = CommandResult.run("export", "--format", "istio", "--config", file.toString(), "--admin", "http://127.0.0.1:1");

        assertThat(export.exitCode()).as(export.err()).isZero();
        var parsed = IstioManifests.parse(export.out());
        assertThat(parsed).singleElement().isInstanceOfSatisfying(IstioModel.VirtualService.class, vs -> {
            IstioModel.HttpRoute http = vs.spec().http().getFirst();
            assertThat(http.name()).isEqualTo("posts-read");
            assertThat(http.route()).extracting(d -> d.destination().host()).containsExactly("strangler-monolith");
            assertThat(http.mirror().host()).isEqualTo("strangler-svc-posts");
        });
    }

    @Test
    void anUnknownFormatIsBadInput() throws Exception {
        CommandResult export = CommandResult.run("export", "--format", "haproxy", "--config", config(1).toString());
        assertThat(export.exitCode()).isEqualTo(2);
        assertThat(export.err()).contains("--format: haproxy (expected: nginx, gateway-api, istio or kubernetes)");
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
