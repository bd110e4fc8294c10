package dev.strangler.control.messy;

import dev.strangler.control.openapi.OpenApiExport;
import dev.strangler.control.openapi.OpenApiImport;
import dev.strangler.core.catalog.Catalog;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.PilotRanking;
import dev.strangler.core.catalog.Progress;
import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;
import dev.strangler.core.diff.ResponseDiffer;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.shadow.RouteShadowSummary;
import dev.strangler.core.shadow.ShadowOptions;
import dev.strangler.core.shadow.ShadowResults;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated day of a shop's traffic as a real application sends it: ordinary requests, 1% junk
 * (negative and garbage ids, scanner probes), 404 error bodies stamped with the time, a sorted product
 * list the service already extended by one product, and an OpenAPI spec whose parameter names differ
 * in case from the ones the catalog learns. Deterministic (seeded); no server: the shadow comparisons
 * run through the same differ and results the gateway uses.
 */
class MessyTrafficTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final int REQUESTS = 6_000;
    private static final String SPEC = """
            openapi: 3.0.3
            info: { title: Shop, version: "1" }
            servers: [ { url: /shop/api } ]
            paths:
              /products:
                get: { responses: { "200": { description: ok } } }
              /products/{productId}:
                get:
                  parameters: [ { name: productId, in: path, required: true, schema: { type: integer } } ]
                  responses: { "200": { description: ok } }
              /orderlines/{orderLineId}:
                parameters: [ { name: orderLineId, in: path, required: true, schema: { type: integer } } ]
                get: { responses: { "200": { description: ok } } }
                delete: { responses: { "204": { description: gone } } }
              /categories/{categoryId}:
                get:
                  parameters: [ { name: categoryId, in: path, required: true, schema: { type: integer } } ]
                  responses: { "200": { description: ok } }
            """;

    @TempDir
    Path directory;

    /** One generated request and how the monolith answered it. */
    record Request(String method, String path, int status, boolean junk) {}

    private static List<Request> traffic(long seed) {
        Random random = new Random(seed);
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            if (random.nextInt(100) == 0) {
                out.add(junk(random));
                continue;
            }
            int pick = random.nextInt(100);
            if (pick < 15) out.add(new Request("GET", "/shop/api/products?page=" + random.nextInt(5) + "&sort=name", 200, false));
            else if (pick < 40) out.add(new Request("GET", "/shop/api/products/" + (1 + random.nextInt(200)), 200, false));
            else if (pick < 45) out.add(new Request("GET", "/shop/api/categories", 200, false));
            else if (pick < 55) out.add(new Request("GET", "/shop/api/categories/" + (1 + random.nextInt(20)), 200, false));
            else if (pick < 70) out.add(new Request("GET", "/shop/api/orderlines/" + (1 + random.nextInt(5000)), 200, false));
            else if (pick < 72) out.add(new Request("DELETE", "/shop/api/orderlines/" + (1 + random.nextInt(5000)), 204, false));
            else if (pick < 82) out.add(new Request("GET", "/shop/api/customers/" + new UUID(random.nextLong(), random.nextLong()) + "/orders", 200, false));
            else if (pick < 90) out.add(new Request("POST", "/shop/api/orders", 201, false));
            else if (pick < 93) out.add(new Request("GET", "/shop/api/reports/daily/2026-11-" + (10 + random.nextInt(20)), 200, false));
            else out.add(new Request("GET", "/shop/api/search?q=lamp" + random.nextInt(50) + "&page=1", 200, false));
        }
        return out;
    }

    private static Request junk(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> new Request("GET", "/shop/api/products/-" + (1 + random.nextInt(40)), 404, true);
            case 1 -> new Request("GET", "/shop/api/products/" + List.of("null", "undefined", "NaN").get(random.nextInt(3)), 404, true);
            case 2 -> new Request("GET", "/shop/api/orderlines/abc" + random.nextInt(30), 404, true);
            case 3 -> new Request("GET", "/shop/api/categories/-" + random.nextInt(9), 400, true);
            case 4 -> new Request("GET", "/shop/api/customers/not-a-uuid-" + random.nextInt(9) + "/orders", 404, true);
            default -> new Request("GET", List.of("/wp-login.php", "/.env", "/shop/api/.git/config").get(random.nextInt(3)), 404, true);
        };
    }

    /** Half the traffic recorded before the spec was imported (a restart in between), the rest after. */
    private List<EndpointSummary> catalogOf(List<Request> traffic) throws Exception {
        Catalog before = new Catalog();
        int half = traffic.size() / 2;
        for (int i = 0; i < half; i++) record(before, traffic.get(i), i);
        Catalog after = new Catalog();
        before.snapshot().forEach(after::merge);
        Path spec = Files.writeString(directory.resolve("shop.yaml"), SPEC);
        OpenApiImport.read(spec).forEach(after::declare);
        for (int i = half; i < traffic.size(); i++) record(after, traffic.get(i), i);
        return after.snapshot();
    }

    private static void record(Catalog catalog, Request r, int i) {
        catalog.record(r.method(), r.path(), r.status(), (5 + i % 40) * 1_000_000L, 0, 500, Optional.empty(), Optional.empty(),
                T0.plusSeconds(i));
    }

    private static final List<Route> ROUTES = List.of(
            Route.of("categories", RouteMatch.path("/shop/api/categories/**"), "catalog").withStage(Stage.LIVE),
            Route.of("reports", RouteMatch.path("/shop/api/reports/**"), "reports").withStage(Stage.SHADOW));

    private static List<String> ranking(Progress progress) {
        return PilotRanking.rank(progress.unclaimed(), progress.totalRequests(), 3).stream().map(PilotRanking.Candidate::prefix).toList();
    }

    @Test
    void junkIdsNeitherMakeEndpointsNorMoveProgressOrTheRankingAndTheSpecNamesWin() throws Exception {
        List<Request> all = traffic(11);
        List<Request> clean = all.stream().filter(r -> !r.junk()).toList();
        assertThat(all.size() - clean.size()).isBetween(40, 80); // about 1%

        List<EndpointSummary> withJunk = catalogOf(all);
        List<EndpointSummary> withoutJunk = catalogOf(clean);

        Set<EndpointKey> real = withJunk.stream().filter(e -> !Progress.Junk.isJunk(e)).map(EndpointSummary::key).collect(Collectors.toSet());
        assertThat(real).isEqualTo(withoutJunk.stream().map(EndpointSummary::key).collect(Collectors.toSet()));
        assertThat(real).contains(new EndpointKey("GET", "/shop/api/orderlines/{orderLineId}"),
                new EndpointKey("DELETE", "/shop/api/orderlines/{orderLineId}"),
                new EndpointKey("GET", "/shop/api/products/{productId}"),
                new EndpointKey("GET", "/shop/api/customers/{customerId}/orders"));
        assertThat(real).noneMatch(k -> k.template().contains("orderlineId") || k.template().contains("-"));
        // nothing declared shows as never called: the learnt rows joined the declared ones
        assertThat(withJunk).filteredOn(EndpointSummary::declared).allMatch(e -> e.count() > 0);

        Progress junky = Progress.of(withJunk, Progress.routesOf(ROUTES));
        Progress tidy = Progress.of(withoutJunk, Progress.routesOf(ROUTES));
        assertThat(junky.junk().endpoints()).isBetween(1L, 3L); // the scanner probes, counted apart
        assertThat(junky.junk().examples()).extracting(EndpointKey::template).containsAnyOf("/wp-login.php", "/.env", "/shop/api/.git/config");
        for (Progress.Bucket b : Progress.Bucket.values()) {
            assertThat(junky.share(b).endpoints()).as("%s endpoints", b).isEqualTo(tidy.share(b).endpoints());
            assertThat(junky.share(b).requestShare()).as("%s request share", b).isCloseTo(tidy.share(b).requestShare(),
                    org.assertj.core.data.Offset.offset(0.02));
        }
        List<String> junkyRanking = ranking(junky);
        List<String> tidyRanking = ranking(tidy);
        assertThat(tidyRanking).hasSizeGreaterThanOrEqualTo(4).doesNotContain("/shop/api/categories");
        assertThat(junkyRanking).containsExactlyInAnyOrderElementsOf(tidyRanking);
        for (String prefix : tidyRanking)
            assertThat(Math.abs(junkyRanking.indexOf(prefix) - tidyRanking.indexOf(prefix))).as(prefix).isLessThanOrEqualTo(1);
    }

    @Test
    void theExportedOpenApiValidatesWithoutEquivalentPathsAndWithTypesAndQueryParameters() throws Exception {
        String yaml = OpenApiExport.write(catalogOf(traffic(11)), "Observed shop");

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml, null, null);
        assertThat(parsed.getMessages()).as("parser messages for%n%s", yaml).isEmpty();
        OpenAPI document = parsed.getOpenAPI();
        Set<String> shapes = new HashSet<>();
        for (String path : document.getPaths().keySet())
            assertThat(shapes.add(path.replaceAll("\\{[^}]+}", "{}"))).as("a second path like %s", path).isTrue();
        assertThat(document.getPaths()).containsKey("/shop/api/orderlines/{orderLineId}")
                .doesNotContainKey("/shop/api/orderlines/{orderlineId}");
        assertThat(document.getPaths().get("/shop/api/products/{productId}").getGet().getParameters().getFirst().getSchema().getType())
                .isEqualTo("string"); // 404s with "null" and "abc" were seen there too: not only integers
        assertThat(document.getPaths().get("/shop/api/orderlines/{orderLineId}").getDelete().getParameters().getFirst().getSchema().getType())
                .isEqualTo("integer");
        assertThat(document.getPaths().get("/shop/api/customers/{customerId}/orders").getGet().getParameters().getFirst().getSchema().getFormat())
                .isNull(); // "not-a-uuid-3" was seen there
        assertThat(document.getPaths().get("/shop/api/reports/daily/{date}").getGet().getParameters().getFirst().getSchema().getFormat())
                .isEqualTo("date");
        assertThat(document.getPaths().get("/shop/api/products").getGet().getParameters())
                .extracting(p -> p.getName() + " in " + p.getIn()).containsExactly("page in query", "sort in query");
        assertThat(yaml).doesNotContain("lamp");
    }

    // ---- the shadow side --------------------------------------------------------------------

    private static CapturedResponse json(int status, String body) {
        return CapturedResponse.of(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static String productList(int from, int to) {
        StringBuilder b = new StringBuilder("[");
        for (int id = from; id <= to; id++) b.append(id == from ? "" : ",").append("{\"id\":").append(id).append(",\"name\":\"p").append(id).append("\"}");
        return b.append(']').toString();
    }

    private static CapturedResponse notFound(long millis) {
        return json(404, "{\"error\":\"not found\",\"timestamp\":\"" + T0.plusMillis(millis) + "\"}");
    }

    /** A monolith pair or a comparison, to be replayed in any order. */
    record Event(boolean isMonolithPair, DiffResult result) {}

    private static List<Event> shadowEvents(List<Request> traffic) {
        ResponseDiffer differ = new ResponseDiffer(ShadowSettings.DEFAULT.diffOptions());
        Random random = new Random(5);
        List<Event> events = new ArrayList<>();
        long clock = 0;
        for (Request r : traffic) {
            if (!r.method().equals("GET") || !r.path().startsWith("/shop/api/products")) continue;
            CapturedResponse monolith;
            CapturedResponse again;
            CapturedResponse service;
            if (r.status() == 404) {
                monolith = notFound(clock += 3);
                again = notFound(clock += 3);
                service = notFound(clock += 3);
            } else if (r.path().startsWith("/shop/api/products?")) {
                monolith = json(200, productList(2, 30));
                again = monolith;
                service = json(200, productList(1, 30)); // the service has the new product 1, sorted first
            } else {
                int price = 10 + random.nextInt(90);
                monolith = json(200, "{\"id\":1,\"price\":" + price + "}");
                again = monolith;
                service = json(200, "{\"id\":1,\"price\":" + (random.nextInt(50) == 0 ? price + 1 : price) + "}");
            }
            events.add(new Event(true, differ.diffRecordingPresence(monolith, again)));
            events.add(new Event(false, differ.diff(monolith, service)));
        }
        return events;
    }

    private static RouteShadowSummary replay(List<Event> events) {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        for (Event e : events) {
            if (e.isMonolithPair()) results.recordMonolithPair("products", e.result());
            else results.recordComparison("products", e.result());
        }
        return results.snapshot("products").orElseThrow();
    }

    @Test
    void theMatchRateIsTheSameUnderTenShufflesAndTheListThatGainedAProductDiffersOnce() {
        List<Event> events = shadowEvents(traffic(11));
        RouteShadowSummary inOrder = replay(events);

        for (long seed = 1; seed <= 10; seed++) {
            List<Event> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(seed));
            RouteShadowSummary summary = replay(shuffled);
            assertThat(summary.matches()).as("matches, shuffle %d", seed).isEqualTo(inOrder.matches());
            assertThat(summary.matchRate()).as("match rate, shuffle %d", seed).isEqualTo(inOrder.matchRate());
        }

        // the timestamps of the 404 bodies are noise; the list and the wrong prices are real
        assertThat(inOrder.path("$.timestamp").orElseThrow().noise().name()).isEqualTo("NOISE_CONFIRMED");
        long lists = events.stream().filter(e -> !e.isMonolithPair() && e.result().differences().stream()
                .anyMatch(d -> d.path().equals("$[0]"))).count();
        assertThat(lists).isPositive();
        for (Event e : events) {
            if (e.isMonolithPair() || e.result().differences().stream().noneMatch(d -> d.path().startsWith("$[")))
                continue;
            assertThat(e.result().differences()).extracting(Difference::path, Difference::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("$[0]", DiffKind.EXTRA));
            assertThat(e.result().differences().getFirst().serviceValue()).contains("{\"id\":1,\"name\":\"p1\"}");
        }
        long realPrices = inOrder.path("$.price").map(p -> p.mismatches()).orElse(0L);
        assertThat(inOrder.mismatches()).isEqualTo(lists + realPrices);
        assertThat(inOrder.matches()).isEqualTo(inOrder.comparisons() - lists - realPrices);
        assertThat(inOrder.comparisons()).isGreaterThan(1000);
        assertThat(inOrder.matchRate()).isGreaterThan(0.5).isLessThan(1.0);
    }
}
