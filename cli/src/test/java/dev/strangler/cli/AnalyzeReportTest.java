package dev.strangler.cli;

import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.Progress;
import dev.strangler.core.plan.Position;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzeReportTest {
    @Test
    void theStageColumnIsTheClaimingRoutesStageNowAsProgressCountsIt() {
        // The catalog remembers no route for this endpoint (declared, never called); the route claims it now, live.
        List<EndpointSummary> endpoints = List.of(EndpointSummary.declaredOnly(new EndpointKey("GET", "/api/orders/{id}")));
        var routeOf = Progress.routesOf(List.of(Route.of("orders", RouteMatch.path("/api/orders/**"), "orders").at(Position.LIVE)));
        Progress progress = Progress.of(endpoints, routeOf);

        AnalyzeReport report = new AnalyzeReport("test", endpoints, routeOf, progress, List.of(), 10);

        String row = report.table().lines().filter(l -> l.startsWith("GET")).findFirst().orElseThrow();
        assertThat(row).containsPattern("orders +live +never");
        assertThat(progress.share(Progress.Bucket.LIVE).endpoints()).isEqualTo(1);
        assertThat(report.markdown()).contains("| orders | live |");
    }
}
