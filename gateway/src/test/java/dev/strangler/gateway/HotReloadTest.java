package dev.strangler.gateway;

import ch.qos.logback.classic.Level;
import dev.strangler.gateway.reload.ConfigWatcher;
import dev.strangler.gateway.reload.ReloadResult;
import dev.strangler.gateway.reload.Sighup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.strangler.gateway.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gateway started from a real config file, edited the way editors save (a new file moved over
 * the old one), while requests are in flight. Polling is fast here (100 ms) so waits are short;
 * nothing sleeps for a fixed time, every wait is for a condition.
 */
class HotReloadTest {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration NEVER = Duration.ofHours(1);
    private static final Duration SOON = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** The config file with one route, {@code held}, claiming {@code /hold/**}; {@code routeTail} ends the route. */
    private static String config(URI monolith, URI posts, String routeTail) {
        return """
                listen: 127.0.0.1:0
                access-log: false
                monolith: { url: %s }
                services:
                  posts: { url: %s }
                routes:
                  - name: held
                    match: { path: /hold/** }
                    service: posts
                %s
                """.formatted(monolith, posts, routeTail.indent(4).stripTrailing());
    }

    private static String config(GatewayHarness h, String routeTail) {
        return config(h.monolith.url(), h.service.url(), routeTail);
    }

    private GatewayHarness startFrom(String routeTail) throws Exception {
        return GatewayHarness.fromFile(dir.resolve("strangler.yaml"), (m, s) -> config(m.url(), s.url(), routeTail));
    }

    /** Saves like an editor does: writes a new file and moves it over the old one. */
    private static void save(Path file, String text) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(next, text);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Which backend answers a new request on the route (the probe is released on both, so it answers at once). */
    private static String servedBy(GatewayHarness h) throws Exception {
        h.monolith.release("probe");
        h.service.release("probe");
        HttpResponse<String> r = h.get("/hold/probe");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("X-Served-By").orElseThrow();
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(GatewayHarness h, String path) {
        return h.http.sendAsync(HttpRequest.newBuilder(h.uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int lineOf(String text, String fragment) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(fragment)) return i + 1;
        throw new AssertionError("no line contains " + fragment);
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aValidEditMovesTheRouteWithoutARestartWhileARequestInFlightFinishesOnTheOldConfig() throws Exception {
        try (var h = startFrom("stage: monolith")) {
            Path file = dir.resolve("strangler.yaml");
            ConfigWatcher watcher = h.watch(POLL);
            assertThat(watcher.lastReload()).as("the file the gateway started from is not a reload").isEmpty();
            var inFlight = sendAsync(h, "/hold/before");
            assertThat(h.monolith.awaitHeld("before")).isTrue();

            // Same size and, put back, the same mtime: only the content says the file changed.
            FileTime mtime = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            save(file, config(h, "stage: live #ok"));
            Files.setLastModifiedTime(file, mtime);
            assertThat(Files.size(file)).isEqualTo(size);

            eventually(SOON, () -> assertThat(servedBy(h)).isEqualTo("posts"));
            assertThat(watcher.lastReload()).hasValueSatisfying(r -> {
                assertThat(r.applied()).isTrue();
                assertThat(r.file()).isEqualTo(file);
                assertThat(r.messages()).containsExactly("held: stage monolith -> live");
            });

            h.monolith.release("before");
            HttpResponse<String> before = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(before.headers().firstValue("X-Served-By")).as("the request begun before the edit").hasValue("monolith");
        }
    }

    @Test
    void aRequestInFlightKeepsItsServiceConnectionWhenAnEditMovesTheServiceElsewhere() throws Exception {
        // retired: no fallback, so a request cut off by the reload would show as a 502 instead of being retried.
        try (var h = startFrom("stage: retired")) {
            ConfigWatcher watcher = h.watch(NEVER);
            var inFlight = sendAsync(h, "/hold/before");
            assertThat(h.service.awaitHeld("before")).isTrue();

            // posts moves to a new address (here: the monolith's server, which names itself "monolith").
            save(dir.resolve("strangler.yaml"), config(h.monolith.url(), h.monolith.url(), "stage: retired"));
            assertThat(await(watcher.reloadNow()).messages()).singleElement().asString().startsWith("service posts: urls");
            assertThat(servedBy(h)).isEqualTo("monolith");

            h.service.release("before");
            HttpResponse<String> before = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(before.headers().firstValue("X-Served-By")).hasValue("posts");
            // Its last request done, the client for the old address is closed rather than kept forever.
            eventually(SOON, () -> assertThat(h.service.openConnections).hasValue(0));
        }
    }

    @Test
    void anInvalidEditIsRefusedWithEveryErrorAndTheOldConfigServesUntilTheFileIsFixed() throws Exception {
        try (var h = startFrom("stage: monolith"); var log = new CapturedLog(ConfigWatcher.class)) {
            Path file = dir.resolve("strangler.yaml");
            ConfigWatcher watcher = h.watch(POLL);

            String invalid = config(h, "stage: canary\npercent: 150\nsticky: nonsense");
            save(file, invalid);
            eventually(SOON, () -> assertThat(watcher.lastReload()).hasValueSatisfying(r -> assertThat(r.applied()).isFalse()));
            ReloadResult refused = watcher.lastReload().orElseThrow();
            assertThat(refused.messages()).satisfiesExactly(
                    m -> assertThat(m).startsWith(file + ":" + lineOf(invalid, "percent:") + ": routes[0] (held).percent: ")
                            .contains("150"),
                    m -> assertThat(m).startsWith(file + ":" + lineOf(invalid, "sticky:") + ": routes[0] (held).sticky: ")
                            .contains("nonsense"));
            assertThat(servedBy(h)).as("the old config still serves").isEqualTo("monolith");
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains(refused.messages().get(0)).contains(refused.messages().get(1));

            // The same bad content is not checked (nor warned about) again on every poll.
            assertThat(await(watcher.check())).isEmpty();
            assertThat(watcher.lastReload()).containsSame(refused);
            assertThat(log.messages(Level.WARN)).hasSize(1);

            String broken = config(h, "stage: [live");
            save(file, broken);
            eventually(SOON, () -> assertThat(watcher.lastReload().orElseThrow().messages()).singleElement().asString()
                    .startsWith(file + ":").contains("not valid YAML"));
            assertThat(servedBy(h)).isEqualTo("monolith");

            save(file, config(h, "stage: live"));
            eventually(SOON, () -> assertThat(servedBy(h)).isEqualTo("posts"));
            assertThat(watcher.lastReload()).hasValueSatisfying(r -> assertThat(r.applied()).isTrue());
        }
    }

    @Test
    void anEditPairingOneCertificateWithAnotherCertificatesKeyIsRefusedAndTheOldConfigServes() throws Exception {
        TestCertificate a = TestCertificate.create();
        TestCertificate b = TestCertificate.create();
        try (var h = startFrom("stage: live")) {
            Path file = dir.resolve("strangler.yaml");
            ConfigWatcher watcher = h.watch(NEVER);
            save(file, "tls: { cert: %s, key: %s }\n".formatted(a.certificate(), b.key()) + config(h, "stage: monolith"));

            ReloadResult refused = await(watcher.reloadNow());
            assertThat(refused.applied()).isFalse();
            assertThat(refused.messages()).singleElement().asString()
                    .startsWith(file + ":1: tls.key: " + b.key() + " is not the private key of the certificate in " + a.certificate());
            assertThat(servedBy(h)).as("the old config still serves").isEqualTo("posts");
        }
    }

    @Test
    void reloadNowAppliesAnEditAtOnceWithoutWaitingForAPoll() throws Exception {
        try (var h = startFrom("stage: monolith")) {
            ConfigWatcher watcher = h.watch(NEVER);
            save(dir.resolve("strangler.yaml"), config(h, "stage: canary\npercent: 100"));

            ReloadResult result = await(watcher.reloadNow());
            assertThat(result.applied()).isTrue();
            assertThat(result.messages()).containsExactly("held: stage monolith -> canary 100%");
            assertThat(servedBy(h)).isEqualTo("posts");
            // Asked again with nothing changed, it still reloads, and says so.
            assertThat(await(watcher.reloadNow()).messages()).isEmpty();
        }
    }

    @Test
    void aHangupSignalReloadsTheFile() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill")), "needs kill(1)");
        try (var h = startFrom("stage: monolith")) {
            ConfigWatcher watcher = h.watch(NEVER);
            save(dir.resolve("strangler.yaml"), config(h, "stage: live"));
            try (Sighup hup = Sighup.reloads(watcher).orElseThrow(() -> new TestAbortedException("no SIGHUP here: the platform has none, or this JVM was started with it ignored (e.g. under nohup)"))) {
                Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).inheritIO().start();
                assertThat(kill.waitFor()).isZero();
                eventually(SOON, () -> assertThat(servedBy(h)).isEqualTo("posts"));
            }
        }
    }
}
