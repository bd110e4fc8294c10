package dev.strangler.control.sync;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Gateways;
import dev.strangler.control.testing.Http;
import dev.strangler.control.testing.Postgres;
import dev.strangler.core.shadow.ShadowOptions;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoredShadowResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.strangler.control.testing.Http.get;
import static dev.strangler.control.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shadow results in the store: they survive a restart, are the fleet's sum on every gateway, start
 * fresh when the route's service changes (the old kept, labelled; the route's step starts again, so
 * {@code status} agrees), and stay redacted and bounded.
 */
class FleetShadowTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final Gateways gateways = new Gateways();
    private Postgres postgres;

    @AfterEach
    void stop() {
        gateways.close();
        Await.result(vertx.close());
        if (postgres != null) postgres.close();
    }

    /** A backend answering {@code body} as JSON to every request. */
    private HttpServer answering(String body) {
        return Await.result(vertx.createHttpServer()
                .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(body))
                .listen(0, "127.0.0.1"));
    }

    private static String config(String storeUrl, int monolith, int svc, int svc2, String service) {
        return """
                listen: 127.0.0.1:0
                admin: { listen: 127.0.0.1:0 }
                store: { url: "%s" }
                access-log: false
                controller: { interval: 100ms }
                monolith: { url: http://127.0.0.1:%d }
                services:
                  svc: { url: http://127.0.0.1:%d }
                  svc2: { url: http://127.0.0.1:%d }
                routes:
                  - name: orders
                    match: { path: /api/orders/** }
                    service: %s
                    stage: shadow
                    shadow: { redact: [owner] }
                """.formatted(storeUrl, monolith, svc, svc2, service);
    }

    private static void send(StranglerProcess p, int requests) {
        for (int i = 0; i < requests; i++)
            assertThat(get(p.port(), "/api/orders/" + i + "?token=user-secret").statusCode()).isEqualTo(200);
    }

    /** The shadow detail of orders, once it shows {@code comparisons}. */
    private static JsonObject shadowOnceCompared(StranglerProcess p, long comparisons) {
        return Await.until(WAIT, () -> {
            var r = get(p.adminPort(), "/api/shadow/orders");
            if (r.statusCode() != 200) return null;
            JsonObject d = json(r);
            return d.getLong("comparisons") == comparisons ? d : null;
        });
    }

    @Test
    void shadowResultsSurviveARestartAndAgreeWithTheRouteMatchRate() {
        HttpServer monolith = answering("{\"id\":1,\"price\":10,\"owner\":\"alice\"}");
        HttpServer svc = answering("{\"id\":1,\"price\":12,\"owner\":\"bob\"}");
        String store = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath();
        Path file = dir.resolve("strangler.yaml");
        StranglerProcess first = gateways.start(file, config(store, monolith.actualPort(), svc.actualPort(), svc.actualPort(), "svc"));
        send(first, 3);
        shadowOnceCompared(first, 3);
        gateways.stop(first); // its last flush writes what is left

        StranglerProcess second = gateways.start(file);
        var response = get(second.adminPort(), "/api/shadow/orders"); // no traffic since the restart
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject detail = json(response);
        assertThat(detail.getLong("comparisons")).isEqualTo(3);
        assertThat(detail.getLong("mismatches")).isEqualTo(3);
        assertThat(detail.getString("service")).isEqualTo("svc");
        assertThat(detail.getBoolean("fleet")).isTrue();
        assertThat(detail.getJsonArray("paths").stream().map(o -> ((JsonObject) o).getString("path"))).contains("$.price", "$.owner");
        assertThat(detail.getJsonArray("samples")).isNotEmpty();
        // status and /api/routes read the same comparisons from the metric windows
        JsonObject shadow = Http.array(get(second.adminPort(), "/api/routes")).getJsonObject(0)
                .getJsonObject("window").getJsonObject("shadow");
        assertThat(shadow.getLong("compared")).isEqualTo(detail.getLong("comparisons"));
        assertThat(shadow.getLong("matched")).isEqualTo(detail.getLong("matches"));
    }

    @Test
    void twoGatewaysOnOnePostgresEachShowTheFleetsSum() {
        postgres = Postgres.schemaOrSkip();
        HttpServer monolith = answering("{\"id\":1,\"price\":10}");
        HttpServer svc = answering("{\"id\":1,\"price\":12}");
        String yaml = config(postgres.url(), monolith.actualPort(), svc.actualPort(), svc.actualPort(), "svc");
        StranglerProcess a = gateways.start(dir.resolve("a.yaml"), yaml);
        StranglerProcess b = gateways.start(dir.resolve("b.yaml"), yaml);

        send(a, 2);
        send(b, 3);

        JsonObject onA = shadowOnceCompared(a, 5);
        JsonObject onB = shadowOnceCompared(b, 5);
        for (JsonObject d : List.of(onA, onB)) {
            assertThat(d.getLong("mismatches")).isEqualTo(5);
            assertThat(d.getInteger("gateways")).isEqualTo(2);
            assertThat(d.getJsonArray("paths").getJsonObject(0).getLong("mismatches")).isEqualTo(5);
        }
        JsonArray list = Http.array(get(a.adminPort(), "/api/shadow"));
        assertThat(list.getJsonObject(0).getLong("comparisons")).isEqualTo(5);
    }

    @Test
    void aReloadThatChangesTheServiceStartsFreshResultsAndTheStepAgainOnH2() {
        reloadThatChangesTheService("jdbc:h2:file:" + dir.resolve("state").toAbsolutePath());
    }

    @Test
    void aReloadThatChangesTheServiceStartsFreshResultsAndTheStepAgainOnPostgres() {
        postgres = Postgres.schemaOrSkip();
        reloadThatChangesTheService(postgres.url());
    }

    /** Fresh results against the new service, the old ones labelled, and status counting what diff counts. */
    private void reloadThatChangesTheService(String store) {
        HttpServer monolith = answering("{\"id\":1,\"price\":10}");
        HttpServer svc = answering("{\"id\":1,\"price\":12}");
        HttpServer svc2 = answering("{\"id\":1,\"price\":10}");
        Path file = dir.resolve("strangler.yaml");
        StranglerProcess p = gateways.start(file, config(store, monolith.actualPort(), svc.actualPort(), svc2.actualPort(), "svc"));
        send(p, 2);
        shadowOnceCompared(p, 2);

        Gateways.write(file, config(store, monolith.actualPort(), svc.actualPort(), svc2.actualPort(), "svc2"));
        Await.until(WAIT, () -> p.gateway().config().routes().getFirst().service().equals("svc2"));
        send(p, 1);

        JsonObject detail = shadowOnceCompared(p, 1);
        assertThat(detail.getString("service")).isEqualTo("svc2");
        assertThat(detail.getLong("matches")).isEqualTo(1);
        assertThat(detail.getJsonArray("paths")).isEmpty();
        JsonArray older = detail.getJsonArray("older");
        assertThat(older).hasSize(1);
        assertThat(older.getJsonObject(0).getString("service")).isEqualTo("svc");
        assertThat(older.getJsonObject(0).getLong("comparisons")).isEqualTo(2);
        assertThat(older.getJsonObject(0).getLong("matches")).isZero();

        // The route's step started again with svc2, so status (/api/routes) counts what diff counts.
        JsonObject shadow = Await.until(WAIT, () -> {
            JsonObject s = Http.array(get(p.adminPort(), "/api/routes")).getJsonObject(0).getJsonObject("window").getJsonObject("shadow");
            return s.getLong("compared") == 1 ? s : null;
        });
        assertThat(shadow.getLong("compared")).isEqualTo(detail.getLong("comparisons"));
        assertThat(shadow.getLong("matched")).isEqualTo(detail.getLong("matches"));
        JsonObject restart = Http.array(get(p.adminPort(), "/api/audit?route=orders&limit=1")).getJsonObject(0);
        assertThat(restart.getString("actor")).isEqualTo("config");
        assertThat(restart.getString("reason")).endsWith(": service svc2 replaces svc: the shadow step starts again, so the "
                + "gates judge only the new service's evidence (min-time counts from now)");
    }

    @Test
    void samplesInTheStoreAreRedactedAndBounded() {
        HttpServer monolith = answering("{\"id\":1,\"price\":10,\"owner\":\"alice\"}");
        HttpServer svc = answering("{\"id\":1,\"price\":12,\"owner\":\"bob\"}");
        String store = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath();
        StranglerProcess p = gateways.start(dir.resolve("strangler.yaml"),
                config(store, monolith.actualPort(), svc.actualPort(), svc.actualPort(), "svc"));
        int requests = ShadowOptions.DEFAULT_MAX_SAMPLES_PER_ROUTE + 10;
        send(p, requests);
        shadowOnceCompared(p, requests);
        gateways.stop(p);

        try (StateStore s = StateStore.open(store)) {
            List<StoredShadowResult> rows = s.shadowResults("orders");
            assertThat(rows).hasSize(1);
            StoredShadowResult row = rows.getFirst();
            assertThat(row.comparisons()).isEqualTo(requests);
            assertThat(row.summary()).doesNotContain("user-secret", "alice", "bob")
                    .hasSizeLessThanOrEqualTo(StoredShadowResult.MAX_SUMMARY_CHARS);
            JsonArray samples = new JsonObject(row.summary()).getJsonArray("samples");
            assertThat(samples.size()).isBetween(1, ShadowOptions.DEFAULT_MAX_SAMPLES_PER_ROUTE);
        }
    }
}
