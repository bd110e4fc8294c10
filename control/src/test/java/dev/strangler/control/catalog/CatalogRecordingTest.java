package dev.strangler.control.catalog;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import dev.strangler.core.catalog.EndpointSummary;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The gateway learns the endpoint catalog from its traffic, keeps it across a restart and serves it at /api/catalog. */
class CatalogRecordingTest {
    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();

    @AfterEach
    void stop() {
        gateways.close();
        backends.close();
    }

    private static Map<String, Long> counts(JsonObject catalog) {
        return CatalogJson.endpoints(catalog).stream()
                .collect(Collectors.toMap(e -> e.key().toString(), EndpointSummary::count));
    }

    @Test
    void requestsBecomeTemplatedEndpointsThatSurviveARestartAndDeclaredOnesShowUpUncalled() throws Exception {
        HttpServer monolith = backends.healthy();
        HttpServer service = backends.healthy();
        java.nio.file.Files.copy(dev.strangler.control.testing.OpenApiDocuments.usersAndReports(), dir.resolve("monolith-openapi.yaml"));
        String yaml = "catalog: { openapi: monolith-openapi.yaml }\n" + Gateways.config("jdbc:h2:file:" + dir.resolve("state"),
                monolith.actualPort(), service.actualPort(), "1h", """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    stage: live
                """).replaceFirst("(?m)^listen: 127.0.0.1:0$", "listen: 127.0.0.1:" + freePort());
        Path file = dir.resolve("strangler.yaml");
        StranglerProcess first = gateways.start(file, yaml);
        for (int i = 1; i <= 40; i++) get(first.port(), "/api/users/" + i + "?expand=orders");
        for (int i = 0; i < 5; i++) get(first.port(), "/api/users/me");
        for (int i = 1; i <= 3; i++) get(first.port(), "/api/orders/" + i);

        Map<String, Long> seen = Await.until(Duration.ofSeconds(10), () -> {
            Map<String, Long> c = counts(json(get(first.adminPort(), "/api/catalog")));
            return c.getOrDefault("GET /api/users/{userId}", 0L) == 40 ? c : null;
        });
        assertThat(seen).containsEntry("GET /api/users/me", 5L)
                .containsEntry("GET /api/orders/{orderId}", 3L)
                .containsEntry("GET /api/reports/yearly", 0L); // declared, never called
        JsonObject orders = json(get(first.adminPort(), "/api/catalog")).getJsonArray("endpoints").stream()
                .map(o -> (JsonObject) o).filter(o -> o.getString("template").equals("/api/orders/{orderId}")).findFirst().orElseThrow();
        assertThat(orders.getString("route")).isEqualTo("orders");
        assertThat(orders.getString("stage")).isEqualTo("live");
        assertThat(orders.getJsonObject("statusCodes").getLong("200")).isEqualTo(3L);
        assertThat(first.catalog().orElseThrow().eventLoops()).as("event loops that recorded on their own").isEqualTo(1);
        gateways.stop(first);

        // Same host and port: the catalog goes on counting where it was.
        StranglerProcess second = gateways.start(file);
        get(second.port(), "/api/users/41");
        Await.until(Duration.ofSeconds(10), () ->
                counts(json(get(second.adminPort(), "/api/catalog"))).getOrDefault("GET /api/users/{userId}", 0L) == 41L);
    }

    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
