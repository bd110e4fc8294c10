package dev.strangler.cli;

import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.LatencySketch;
import dev.strangler.core.coupling.Affinity;
import dev.strangler.store.StateStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code strangler analyze} reads like an architect's advice, and {@code --coupling} says what a move would split. */
class AnalyzeAdviceTest {
    @TempDir
    Path dir;

    private static String line(String client, int minute, int second, String request, int status) {
        return String.format("%s - - [25/Nov/2026:10:%02d:%02d +0000] \"%s HTTP/1.1\" %d 100 \"-\" \"curl\"", client, minute,
                second, request, status);
    }

    /**
     * A shop behind the context path /shop/api: browsing sessions use products (also under /v2) with
     * categories, buying sessions use orders with customers, and a report endpoint fails 70% of the time.
     */
    private Path shopLog() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int u = 0; u < 20; u++) {
            String client = "10.0.1." + u;
            lines.add(line(client, u, 0, "GET /shop/api/products", 200));
            lines.add(line(client, u, 1, "GET /shop/api/v2/products/" + (100 + u), 200));
            lines.add(line(client, u, 2, "GET /shop/api/categories/" + (u % 4 + 1), 200));
        }
        for (int u = 0; u < 20; u++) { // categories alone, half as often
            if (u % 2 == 0) lines.add(line("10.0.3." + u, u, 10, "GET /shop/api/categories/" + (u % 4 + 1), 200));
        }
        for (int u = 0; u < 10; u++) {
            String client = "10.0.2." + u;
            lines.add(line(client, u, 20, "POST /shop/api/orders", 201));
            lines.add(line(client, u, 21, "GET /shop/api/orders/" + (500 + u), 200));
            lines.add(line(client, u, 22, "GET /shop/api/customers/" + (900 + u), 200));
        }
        for (int i = 0; i < 10; i++)
            lines.add(line("10.0.4.1", 30 + i, 0, "GET /shop/api/reports/" + (2020 + i), i < 7 ? 500 : 200));
        Path file = dir.resolve("shop.log");
        Files.write(file, lines);
        return file;
    }

    private static String ranking(String out) {
        return out.substring(out.indexOf("Pilot ranking"));
    }

    @Test
    void theContextPathIsSkippedVersionsJoinTheirResourceAndAFailingGroupIsFlaggedLast() throws Exception {
        CommandResult r = CommandResult.run("analyze", "--access-log", shopLog().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        String ranking = ranking(r.out());
        assertThat(ranking).contains("/shop/api/products ", "/shop/api/categories ", "/shop/api/orders ", "/shop/api/customers ")
                .doesNotContain("  /shop/api/v2").contains("; paths /shop/api/products, /shop/api/v2/products")
                .doesNotContain("/shop/api ");
        assertThat(ranking).contains("flagged, not recommended: fails 70% of requests: fix or understand it before moving it");
        int reports = ranking.indexOf("/shop/api/reports ");
        for (String other : List.of("/shop/api/products ", "/shop/api/categories ", "/shop/api/orders ", "/shop/api/customers "))
            assertThat(ranking.indexOf(other)).isLessThan(reports);

        JsonObject json = new JsonObject(CommandResult.run("analyze", "--access-log", shopLog().toString(), "--format", "json").out());
        JsonObject last = json.getJsonArray("ranking").getJsonObject(json.getJsonArray("ranking").size() - 1);
        assertThat(last.getString("prefix")).isEqualTo("/shop/api/reports");
        assertThat(last.getBoolean("flagged")).isTrue();
        assertThat(last.getDouble("failureRate")).isEqualTo(0.7);
    }

    @Test
    void suggestedRoutesLeaveOutWhatRoutesInForceTakeAndTheConfigStillValidates() throws Exception {
        String config = """
                monolith: { url: http://127.0.0.1:1 }
                services:
                  products: { url: http://127.0.0.1:2 }
                routes:
                  - name: products-read
                    match: { methods: [GET], path: /shop/api/products/** }
                    service: products
                    stage: shadow
                """;
        Path file = dir.resolve("strangler.yaml");
        Files.writeString(file, config);

        CommandResult r = CommandResult.run("analyze", "--access-log", shopLog().toString(), "--config", file.toString(),
                "--suggest-routes", "/shop/api/products");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("# Already claimed by route products-read: GET /shop/api/products")
                .contains("name: products-read-2").contains("path: /shop/api/v2/products/**")
                .doesNotContain("path: /shop/api/products/**");
        Files.writeString(file, config + r.out().substring(r.out().indexOf("routes:\n") + "routes:\n".length()));
        CommandResult validate = CommandResult.run("validate", "--config", file.toString());
        assertThat(validate.exitCode()).as(validate.err() + validate.out()).isZero();
    }

    @Test
    void validateGivesTheFixForTwoRoutesThatTieOnce() throws Exception {
        Path file = dir.resolve("tie.yaml");
        Files.writeString(file, """
                monolith: { url: http://127.0.0.1:1 }
                services:
                  products: { url: http://127.0.0.1:2 }
                routes:
                  - name: a
                    match: { path: /shop/api/products/** }
                    service: products
                  - name: b
                    match: { path: /shop/api/products/** }
                    service: products
                """);
        CommandResult r = CommandResult.run("validate", "--config", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("routes 'a' and 'b' both match /shop/api/products/**");
        assertThat(r.err().split("merge them", -1)).hasSize(2);
    }

    @Test
    void couplingFromAnAccessLogNamesWhatMovingAGroupAloneWouldSplit() throws Exception {
        CommandResult r = CommandResult.run("analyze", "--access-log", shopLog().toString(), "--coupling");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String coupling = r.out().substring(r.out().indexOf("\nCoupling"));
        // 20 sessions used categories with products, 10 used categories alone
        assertThat(coupling).contains("/shop/api/categories (30 sessions): moving /shop/api/categories alone splits 66.7% of its "
                + "sessions, which also call /shop/api/products");
        assertThat(coupling).contains("/shop/api/orders (10 sessions): moving /shop/api/orders alone splits 100.0% of its sessions, "
                + "which also call /shop/api/customers");
        assertThat(coupling).contains("Used together (consider moving each set as one): /shop/api/categories + /shop/api/products; "
                + "/shop/api/customers + /shop/api/orders");
        assertThat(ranking(r.out())).contains("moving /shop/api/categories alone splits 66.7% of its sessions, which also call "
                + "/shop/api/products");

        CommandResult plain = CommandResult.run("analyze", "--access-log", shopLog().toString());
        assertThat(plain.out()).doesNotContain("\nCoupling").doesNotContain("alone splits");
    }

    @Test
    void couplingIsTheFleetsSumReadFromTheStoreOfAStoppedGateway() throws Exception {
        String store = "jdbc:h2:file:" + dir.resolve("state");
        Instant at = Instant.parse("2026-11-25T10:00:00Z");
        try (StateStore s = StateStore.open(store)) {
            List<EndpointSummary> catalog = new ArrayList<>();
            for (String t : List.of("/api/products", "/api/categories", "/api/orders"))
                catalog.add(new EndpointSummary(new EndpointKey("GET", t), 10, Map.of(200, 10L), LatencySketch.empty(), 0, 0,
                        Optional.of(at), Optional.of(at), Optional.empty(), Optional.empty(), false));
            s.saveCatalog("gw-1", catalog);
            s.saveCoupling("gw-1", new Affinity(8, Map.of("/api/products", 6L, "/api/categories", 4L),
                    Map.of(Affinity.Pair.of("/api/categories", "/api/products"), 3L)));
            s.saveCoupling("gw-2", new Affinity(4, Map.of("/api/categories", 4L, "/api/orders", 1L),
                    Map.of(Affinity.Pair.of("/api/categories", "/api/products"), 0L)));
        }
        Path file = dir.resolve("strangler.yaml");
        Files.writeString(file, """
                admin: { listen: 127.0.0.1:%d }
                store: { url: "%s" }
                monolith: { url: http://127.0.0.1:1 }
                """.formatted(freePort(), store));
        CommandResult r = CommandResult.run("analyze", "--config", file.toString(), "--coupling", "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonObject coupling = new JsonObject(r.out()).getJsonObject("coupling");
        assertThat(coupling.getLong("sessions")).isEqualTo(12);
        assertThat(coupling.getJsonObject("groups").getLong("/api/categories")).isEqualTo(8);
        JsonObject categories = new JsonObject(r.out()).getJsonArray("ranking").stream().map(o -> (JsonObject) o)
                .filter(o -> o.getString("prefix").equals("/api/categories")).findFirst().orElseThrow();
        assertThat(categories.getJsonArray("coupled").getJsonObject(0).getString("group")).isEqualTo("/api/products");
        assertThat(categories.getJsonArray("coupled").getJsonObject(0).getDouble("share")).isEqualTo(3.0 / 8);
    }

    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
