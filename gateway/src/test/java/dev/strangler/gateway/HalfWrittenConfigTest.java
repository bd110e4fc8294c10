package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.gateway.reload.ConfigWatcher;
import dev.strangler.gateway.reload.ReloadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A config file written in place, in pieces, is never applied half-written: the routes not written
 * yet (a {@code retired} one among them) keep serving until the whole file has stayed unchanged for
 * the settle time. The settle time is measured on an injected clock, so nothing sleeps; the periodic
 * poll is effectively off and each look is an explicit {@link ConfigWatcher#check()}.
 *
 * <p>The watcher also re-checks by itself on a real timer once the settle time could be up; with the
 * clock held still such a look finds nothing settled, so the assertions hold whenever it runs.
 */
class HalfWrittenConfigTest {
    private static final Duration SETTLE = Duration.ofMillis(300);
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();

    private static String config(URI monolith, URI posts, String extraRoute) {
        return """
                listen: 127.0.0.1:0
                access-log: false
                monolith: { url: %s }
                services:
                  posts: { url: %s }
                routes:
                  - name: old-posts
                    match: { path: /old/** }
                    service: posts
                    stage: retired
                  - name: comments
                    match: { path: /comments/** }
                    service: posts
                    stage: live
                %s""".formatted(monolith, posts, extraRoute);
    }

    @Test
    void aHalfWrittenFileIsNotAppliedAndTheRetiredRouteKeepsServingUntilTheRestIsWrittenAndSettles() throws Exception {
        Path file = dir.resolve("strangler.yaml");
        try (GatewayHarness h = GatewayHarness.fromFile(file, (m, s) -> config(m.url(), s.url(), ""))) {
            ConfigWatcher watcher = start(h, file);
            try {
                String whole = config(h.monolith.url(), h.service.url(), """
                          - name: users
                            match: { path: /users/** }
                            service: posts
                            stage: live
                        """);
                // The first half is valid YAML and a valid config: the monolith, the service, no routes.
                String firstHalf = whole.substring(0, whole.indexOf("routes:"));
                Files.writeString(file, firstHalf);

                assertThat(check(watcher)).isEmpty();
                assertThat(servedBy(h, "/old/1")).isEqualTo("posts");
                clock.advance(Duration.ofMillis(250));
                assertThat(check(watcher)).isEmpty();
                assertThat(servedBy(h, "/old/1")).isEqualTo("posts");

                Files.writeString(file, whole);         // the rest arrives
                assertThat(check(watcher)).isEmpty();   // new content: the wait starts again
                clock.advance(Duration.ofMillis(100));  // the half would have settled by now; the whole has not
                assertThat(check(watcher)).isEmpty();
                assertThat(servedBy(h, "/old/1")).isEqualTo("posts");
                assertThat(names(h)).containsExactly("old-posts", "comments");

                clock.advance(SETTLE.minusMillis(101));
                assertThat(check(watcher)).isEmpty();
                clock.advance(Duration.ofMillis(1));
                check(watcher); // applies it, unless the watcher's own re-check timer just did

                assertThat(watcher.lastReload()).hasValueSatisfying(r -> assertThat(r.applied()).isTrue());
                assertThat(names(h)).containsExactly("old-posts", "comments", "users");
                assertThat(servedBy(h, "/old/1")).isEqualTo("posts");
                assertThat(servedBy(h, "/users/1")).isEqualTo("posts");
            } finally {
                watcher.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anEditUndoneBeforeItSettledIsNeverApplied() throws Exception {
        Path file = dir.resolve("strangler.yaml");
        try (GatewayHarness h = GatewayHarness.fromFile(file, (m, s) -> config(m.url(), s.url(), ""))) {
            ConfigWatcher watcher = start(h, file);
            try {
                String original = Files.readString(file);
                Files.writeString(file, original.replace("stage: retired", "stage: shadow"));
                assertThat(check(watcher)).isEmpty();
                Files.writeString(file, original);
                assertThat(check(watcher)).isEmpty();
                clock.advance(SETTLE.multipliedBy(2));

                assertThat(check(watcher)).isEmpty();
                assertThat(watcher.lastReload()).isEmpty();
                assertThat(servedBy(h, "/old/1")).isEqualTo("posts");
            } finally {
                watcher.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aReloadAskedForBySighupDoesNotWait() throws Exception {
        Path file = dir.resolve("strangler.yaml");
        try (GatewayHarness h = GatewayHarness.fromFile(file, (m, s) -> config(m.url(), s.url(), ""))) {
            ConfigWatcher watcher = start(h, file);
            try {
                Files.writeString(file, Files.readString(file).replace("stage: live", "stage: shadow"));

                ReloadResult r = watcher.reloadNow().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

                assertThat(r.applied()).isTrue();
                assertThat(h.gateway.config().routes().get(1).stage().configName()).isEqualTo("shadow");
            } finally {
                watcher.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private ConfigWatcher start(GatewayHarness h, Path file) throws Exception {
        ConfigWatcher watcher = new ConfigWatcher(h.gateway, file, NEVER, SETTLE, clock);
        watcher.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return watcher;
    }

    private static Optional<ReloadResult> check(ConfigWatcher watcher) throws Exception {
        return watcher.check().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static java.util.List<String> names(GatewayHarness h) {
        return h.gateway.config().routes().stream().map(Route::name).toList();
    }

    /** Which backend received the request (its own X-Served-By). */
    private static String servedBy(GatewayHarness h, String path) throws Exception {
        var r = h.get(path);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("X-Served-By").orElseThrow();
    }

    /** A clock the test moves by hand. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-30T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
