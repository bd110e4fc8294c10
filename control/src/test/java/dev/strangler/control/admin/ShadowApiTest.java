package dev.strangler.control.admin;

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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API's view of the shadow stage, over a real gateway, monolith and service. */
class ShadowApiTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Vertx backends = Vertx.vertx();
    private StranglerProcess process;

    @AfterEach
    void stop() throws Exception {
        if (process != null) await(process.stop());
        await(backends.close());
    }

    private HttpServer json(String body) throws Exception {
        return await(backends.createHttpServer()
                .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(body))
                .listen(0, "127.0.0.1"));
    }

    @Test
    void theApiReportsComparisonsDifferingPathsAndRedactedSamples() throws Exception {
        HttpServer monolith = json("{\"id\":1,\"price\":10,\"name\":\"pen\"}");
        HttpServer service = json("{\"id\":1,\"price\":12,\"name\":\"pen\"}");
        Route route = Route.of("items", RouteMatch.path("/api/items/**"), "items").withStage(Stage.SHADOW)
                .withShadow(new dev.strangler.core.stage.ShadowSettings(false, 64 * 1024, 8, List.of(), false, false, List.of("name")));
        GatewayConfig c = GatewayConfig.of(Backend.of(Backend.MONOLITH, URI.create("http://127.0.0.1:" + monolith.actualPort())),
                Map.of("items", Backend.of("items", URI.create("http://127.0.0.1:" + service.actualPort()))), List.of(route));
        c = new GatewayConfig(c.source(), c.listen(), c.tls(), new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()),
                c.storeUrl(), c.monolith(), c.services(), c.routes(), false, c.drainTimeout(), Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
        process = await(StranglerProcess.start(c, 1));

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> user = get(process.port(), "/api/items/1?token=abc", "Authorization", "Bearer user-secret");
            assertThat(new JsonObject(user.body()).getInteger("price")).isEqualTo(10); // always the monolith's answer
        }

        JsonObject detail = eventually(() -> {
            HttpResponse<String> r = get(process.adminPort(), "/api/shadow/items");
            if (r.statusCode() != 200) return null;
            JsonObject d = new JsonObject(r.body());
            return d.getLong("comparisons") == 3 ? d : null;
        });
        assertThat(detail.getLong("mismatches")).isEqualTo(3);
        assertThat(detail.getDouble("matchRate")).isZero();
        JsonObject path = detail.getJsonArray("paths").getJsonObject(0);
        assertThat(path.getString("path")).isEqualTo("$.price");
        assertThat(path.getString("monolith")).isEqualTo("10");
        assertThat(path.getString("service")).isEqualTo("12");
        JsonObject sample = detail.getJsonArray("samples").getJsonObject(0);
        assertThat(sample.getString("request")).startsWith("GET /api/items/1?token=").doesNotContain("abc");
        assertThat(sample.encode()).doesNotContain("user-secret").doesNotContain("pen"); // "name" is redacted by the route
        assertThat(sample.getJsonObject("monolith").getString("body")).contains("\"price\":10").contains("<redacted>");

        JsonArray overview = new JsonArray(get(process.adminPort(), "/api/shadow").body());
        assertThat(overview.getJsonObject(0).getString("route")).isEqualTo("items");
        assertThat(get(process.adminPort(), "/api/shadow/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void withTheNoiseCheckAFieldTheMonolithChangesOnEveryCallIsNoiseWhileARealDifferenceStaysReal() throws Exception {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        HttpServer monolith = await(backends.createHttpServer().requestHandler(req -> req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"id\":1,\"price\":10,\"at\":\"t" + clock.incrementAndGet() + "\"}")).listen(0, "127.0.0.1"));
        HttpServer service = json("{\"id\":1,\"price\":12,\"at\":\"s\"}");
        Route route = Route.of("items", RouteMatch.path("/api/items/**"), "items").withStage(Stage.SHADOW)
                .withShadow(new dev.strangler.core.stage.ShadowSettings(false, 64 * 1024, 8, List.of(), true, false));
        GatewayConfig c = GatewayConfig.of(Backend.of(Backend.MONOLITH, URI.create("http://127.0.0.1:" + monolith.actualPort())),
                Map.of("items", Backend.of("items", URI.create("http://127.0.0.1:" + service.actualPort()))), List.of(route));
        c = new GatewayConfig(c.source(), c.listen(), c.tls(), new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()),
                c.storeUrl(), c.monolith(), c.services(), c.routes(), false, c.drainTimeout(), Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
        process = await(StranglerProcess.start(c, 1));

        for (int i = 0; i < 6; i++) get(process.port(), "/api/items/1");

        JsonObject detail = eventually(() -> {
            HttpResponse<String> r = get(process.adminPort(), "/api/shadow/items");
            if (r.statusCode() != 200) return null;
            JsonObject d = new JsonObject(r.body());
            return d.getLong("comparisons") == 6 ? d : null;
        });
        Map<String, String> noiseByPath = new java.util.HashMap<>();
        detail.getJsonArray("paths").forEach(p -> noiseByPath.put(((JsonObject) p).getString("path"), ((JsonObject) p).getString("noise")));
        assertThat(noiseByPath).containsEntry("$.price", "REAL").containsEntry("$.at", "NOISE_CONFIRMED");
        Map<String, JsonObject> evidenceByPath = new java.util.HashMap<>();
        detail.getJsonArray("paths").forEach(p -> evidenceByPath.put(((JsonObject) p).getString("path"), ((JsonObject) p).getJsonObject("noiseEvidence")));
        // the evidence counts the monolith pairs in which the path was there: $.price was, and never differed
        assertThat(evidenceByPath.get("$.at").getLong("pairs")).isEqualTo(6);
        assertThat(evidenceByPath.get("$.at").getLong("differed")).isEqualTo(6);
        assertThat(evidenceByPath.get("$.at").getDouble("share")).isEqualTo(1.0);
        assertThat(evidenceByPath.get("$.price").getLong("pairs")).isEqualTo(6);
        assertThat(evidenceByPath.get("$.price").getLong("differed")).isZero();
        assertThat(detail.getLong("mismatches")).isEqualTo(6); // the price difference is real in every comparison
    }

    @Test
    void theRoutesArrayRuleDecidesHowListsAreCompared() throws Exception {
        HttpServer monolith = json("[{\"id\":2,\"price\":20},{\"id\":3,\"price\":30}]");
        // the service lists one more product: sorted first for the ordered route, in another order for the keyed one
        HttpServer service = await(backends.createHttpServer().requestHandler(req -> req.response()
                .putHeader("Content-Type", "application/json")
                .end(req.path().startsWith("/api/keyed")
                        ? "[{\"id\":3,\"price\":30},{\"id\":1,\"price\":10},{\"id\":2,\"price\":20}]"
                        : "[{\"id\":1,\"price\":10},{\"id\":2,\"price\":20},{\"id\":3,\"price\":30}]"))
                .listen(0, "127.0.0.1"));
        Route ordered = Route.of("ordered", RouteMatch.path("/api/ordered/**"), "items").withStage(Stage.SHADOW);
        Route keyed = Route.of("keyed", RouteMatch.path("/api/keyed/**"), "items").withStage(Stage.SHADOW)
                .withShadow(new dev.strangler.core.stage.ShadowSettings(false, 64 * 1024, 8, List.of(), false, false, List.of(),
                        dev.strangler.core.diff.ArrayRule.keyedBy("id")));
        GatewayConfig c = GatewayConfig.of(Backend.of(Backend.MONOLITH, URI.create("http://127.0.0.1:" + monolith.actualPort())),
                Map.of("items", Backend.of("items", URI.create("http://127.0.0.1:" + service.actualPort()))), List.of(ordered, keyed));
        c = new GatewayConfig(c.source(), c.listen(), c.tls(), new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()),
                c.storeUrl(), c.monolith(), c.services(), c.routes(), false, c.drainTimeout(), Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
        process = await(StranglerProcess.start(c, 1));

        get(process.port(), "/api/ordered/list");
        get(process.port(), "/api/keyed/list");

        JsonObject byKey = eventually(() -> compared("keyed"));
        JsonObject byOrder = eventually(() -> compared("ordered"));
        // keyed by id: the one new element, whatever the order
        assertThat(byKey.getJsonArray("samples").getJsonObject(0).getJsonArray("differences").stream()
                .map(d -> ((JsonObject) d).getString("kind") + " " + ((JsonObject) d).getString("path")).toList())
                .containsExactly("EXTRA $[1]");
        assertThat(byKey.getJsonArray("paths").getJsonObject(0).getMap()).containsEntry("path", "$[*]")
                .containsEntry("service", "{\"id\":1,\"price\":10}");
        // ordered: aligned, so the elements both sides have in the same order are not reported
        assertThat(byOrder.getJsonArray("samples").getJsonObject(0).getJsonArray("differences").stream()
                .map(d -> ((JsonObject) d).getString("kind") + " " + ((JsonObject) d).getString("path")).toList())
                .containsExactly("EXTRA $[0]");
    }

    private JsonObject compared(String route) throws Exception {
        HttpResponse<String> r = get(process.adminPort(), "/api/shadow/" + route);
        if (r.statusCode() != 200) return null;
        JsonObject d = new JsonObject(r.body());
        return d.getLong("comparisons") == 1 ? d : null;
    }

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T eventually(Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            T value = probe.get();
            if (value != null) return value;
            if (System.nanoTime() > deadline) throw new AssertionError("not within 10 s");
            Thread.sleep(50);
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
