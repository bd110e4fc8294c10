package dev.strangler.control.catalog;

import dev.strangler.core.catalog.EndpointSummary;
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

/** The catalog records each request under the route and stage it was served by, whatever came before it. */
class CatalogRecorderRoutesTest {
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
                CatalogRecorderRoutesTest::routeAndStage));

        assertThat(routes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "/api/orders/{orderId}", "orders canary",
                "/api/users/{userId}", "users shadow",
                "/legacy/home", "-",
                "/api/items/{itemId}", "-"));
    }

    private static String routeAndStage(EndpointSummary e) {
        return e.route().map(r -> r + " " + e.stage().orElseThrow().configName()).orElse(e.stage().isPresent() ? "stage without route" : "-");
    }
}
