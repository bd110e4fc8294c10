package dev.strangler.control.catalog;

import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.store.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the recorder files a request under: the route and stage it was served by, whatever came before
 * it; and for the coupling, the endpoint group the catalog names at the time.
 */
class CatalogRecorderTest {
    private final StateStore store = StateStore.open("jdbc:h2:mem:catalog-routes-" + System.nanoTime());
    private final CatalogRecorder recorder = new CatalogRecorder("gw-1:8080", store,
            Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));

    @AfterEach
    void close() {
        recorder.close();
        store.close();
    }

    private void served(String path, String route, Stage stage) {
        recorder.onComplete(new Outcome("id", "GET", path, route, stage, "monolith", 200, 1_000_000, 0, 10,
                Optional.empty(), Optional.empty()));
    }

    private void servedTo(String clientKey, String path) {
        recorder.onComplete(new Outcome("id", "GET", path, Outcome.UNROUTED, Stage.MONOLITH, "monolith", 200, 1_000_000, 0, 10,
                Optional.empty(), Optional.empty(), clientKey));
    }

    @Test
    void eachEndpointKeepsTheRouteAndStageOfItsLatestRequestAsRoutesAndStagesAlternate() {
        served("/api/orders/1", "orders", Stage.LIVE);
        served("/api/orders/2", "orders", Stage.CANARY); // same route, moved on
        served("/api/users/1", "users", Stage.SHADOW);
        served("/legacy/home", Outcome.UNROUTED, Stage.MONOLITH);
        served("/api/users/2", "users", Stage.SHADOW); // the same route again after an unrouted request
        served("/api/items/1", "items", Stage.LIVE);
        served("/api/items/2", Outcome.UNROUTED, Stage.MONOLITH); // the route was removed

        Map<String, String> routes = recorder.flush().stream().collect(Collectors.toMap(e -> e.key().template(),
                CatalogRecorderTest::routeAndStage));

        assertThat(routes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "/api/orders/{orderId}", "orders canary",
                "/api/users/{userId}", "users shadow",
                "/legacy/home", "-",
                "/api/items/{itemId}", "-"));
    }

    @Test
    void aTemplateIsRegroupedWhenANewEndpointMovesTheCommonPrefix() {
        servedTo("first", "/shop/api/orders/1/lines");
        assertThat(recorder.coupling().sessionsWith("/shop/api/orders")).isEqualTo(1); // the only endpoint: named past its own prefix

        servedTo("second", "/shop/web/home"); // the common prefix is now /shop
        servedTo("second", "/shop/api/orders/2/lines");
        Affinity coupling = recorder.coupling();
        assertThat(coupling.sessionsWithBoth("/shop/web", "/shop/api")).isEqualTo(1);
        assertThat(coupling.sessionsWith("/shop/api/orders")).isEqualTo(1); // the first session keeps what it was counted under
    }

    private static String routeAndStage(EndpointSummary e) {
        return e.route().map(r -> r + " " + e.stage().orElseThrow().configName()).orElse(e.stage().isPresent() ? "stage without route" : "-");
    }
}
