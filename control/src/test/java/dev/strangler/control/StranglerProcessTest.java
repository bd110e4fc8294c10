package dev.strangler.control;

import dev.strangler.core.config.AdminSettings;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.Backend;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.config.HostPort;
import dev.strangler.gateway.reload.ReloadResult;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StranglerProcessTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aBusyGatewayPortFailsTheStartNamingTheListenerAndTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            GatewayConfig config = config(taken.getLocalPort(), 0);

            assertThatThrownBy(() -> StranglerProcess.start(config, 2).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(StranglerProcess.ListenFailure.class, f -> {
                        assertThat(f.listener()).isEqualTo(StranglerProcess.Listener.GATEWAY);
                        assertThat(f.address()).isEqualTo(new HostPort("127.0.0.1", taken.getLocalPort()));
                        assertThat(f.isAddressInUse()).isTrue();
                        assertThat(f.getMessage()).startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for user traffic");
                    });
        }
    }

    @Test
    void aBusyAdminPortFailsTheStartAndReleasesTheGatewayPort() throws Exception {
        int gatewayPort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            gatewayPort = probe.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            GatewayConfig config = config(gatewayPort, taken.getLocalPort());

            assertThatThrownBy(() -> StranglerProcess.start(config, 2).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(StranglerProcess.ListenFailure.class,
                            f -> assertThat(f.listener()).isEqualTo(StranglerProcess.Listener.ADMIN));
        }
        try (ServerSocket again = new ServerSocket(gatewayPort, 1, LOOPBACK)) {
            assertThat(again.getLocalPort()).isEqualTo(gatewayPort);
        }
    }

    @Test
    void aProcessStartedFromAFileFollowsItAndHealthShowsARefusedEdit(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("strangler.yaml");
        String valid = """
                listen: 127.0.0.1:0
                admin: { listen: 127.0.0.1:0 }
                access-log: false
                monolith: { url: http://127.0.0.1:1 }
                services: { posts: http://127.0.0.1:2 }
                routes:
                  - { name: posts, match: { path: /api/posts/** }, service: posts }
                """;
        Files.writeString(file, valid);
        StranglerProcess process = StranglerProcess.start(ConfigLoader.load(file), 1)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertThat(process.watcher()).isPresent();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.adminPort() + "/health")).build();
            assertThat(new JsonObject(http.send(health, HttpResponse.BodyHandlers.ofString()).body()).getValue("lastReload")).isNull();

            Files.writeString(file, valid.replace("service: posts }", "service: posts, stage: canary, percent: 150 }"));
            ReloadResult refused = process.watcher().orElseThrow().reloadNow()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(refused.applied()).isFalse();

            JsonObject reload = new JsonObject(http.send(health, HttpResponse.BodyHandlers.ofString()).body()).getJsonObject("lastReload");
            assertThat(reload.getBoolean("applied")).isFalse();
            assertThat(reload.getJsonArray("messages").getString(0)).contains("strangler.yaml:7: routes[0] (posts).percent: 150 is outside 0..100");
            assertThat(process.gateway().config().routes().get(0).percent()).isZero(); // the old config still serves
        } finally {
            process.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theOptionsClockIsTheTimeTheControlPlaneRecords(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("strangler.yaml");
        Files.writeString(file, """
                listen: 127.0.0.1:0
                admin: { listen: 127.0.0.1:0 }
                store: { url: "jdbc:h2:file:%s" }
                access-log: false
                monolith: { url: http://127.0.0.1:1 }
                services: { posts: http://127.0.0.1:2 }
                routes:
                  - { name: posts, match: { path: /api/posts/** }, service: posts, stage: shadow }
                """.formatted(dir.resolve("state")));
        java.time.Instant fixed = java.time.Instant.parse("2030-01-02T03:04:05Z");
        StranglerProcess.Options options = StranglerProcess.Options.defaults(1)
                .withClock(java.time.Clock.fixed(fixed, java.time.ZoneOffset.UTC))
                .withRandom(new java.util.Random(42)); // java.util.Random is thread-safe
        StranglerProcess process = StranglerProcess.start(ConfigLoader.load(file), options)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            var store = process.control().store();
            assertThat(store.routeState("posts").orElseThrow().enteredAt()).isEqualTo(fixed);
            assertThat(store.audit(Optional.of("posts"), 1).getFirst().at()).isEqualTo(fixed);
        } finally {
            process.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static GatewayConfig config(int port, int adminPort) {
        GatewayConfig c = GatewayConfig.of(Backend.of(Backend.MONOLITH, URI.create("http://127.0.0.1:1")), Map.of(), List.of());
        return new GatewayConfig(c.source(), new HostPort("127.0.0.1", port), c.tls(),
                new AdminSettings(new HostPort("127.0.0.1", adminPort), Optional.empty()), c.storeUrl(), c.monolith(),
                c.services(), c.routes(), c.accessLog(), c.drainTimeout(), Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
    }
}
