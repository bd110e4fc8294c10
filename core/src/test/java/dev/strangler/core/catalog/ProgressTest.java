package dev.strangler.core.catalog;

import dev.strangler.core.catalog.Progress.Bucket;
import dev.strangler.core.catalog.Progress.RouteInfo;
import dev.strangler.core.catalog.Progress.Share;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProgressTest {
    private static final List<Route> ROUTES = List.of(
            Route.of("users", RouteMatch.path("/api/users/{id}"), "users").withStage(Stage.LIVE),
            Route.of("orders-read", RouteMatch.path("/api/orders/**").withMethods("GET"), "orders")
                    .withCanary(10, dev.strangler.core.stage.StickyKey.DEFAULT),
            Route.of("popular-tags", RouteMatch.path("/api/tags/popular").withHost("api.example.com"), "tags")
                    .withStage(Stage.RETIRED));

    @Test
    void sharesOfEndpointsRequestsAndBytesByStageOnARecordedSample() {
        Progress p = Progress.of(RecordedSample.endpoints(), Progress.routesOf(ROUTES));

        assertThat(p.share(Bucket.LIVE)).isEqualTo(new Share(1, 5490, 5490 * 1100L, 0.125, 0.549, 0.549));
        assertThat(p.share(Bucket.CANARY)).isEqualTo(new Share(2, 3000, 3000 * 1100L, 0.25, 0.3, 0.3));
        assertThat(p.share(Bucket.UNCLAIMED)).isEqualTo(new Share(5, 1510, 1510 * 1100L, 0.625, 0.151, 0.151));
        assertThat(p.share(Bucket.RETIRED).endpoints()).isZero();
        assertThat(p.migrated().requestShare()).isCloseTo(0.549, within(1e-9));
        assertThat(p.unclaimed()).extracting(e -> e.key().toString()).containsExactly(
                "POST /api/orders", "GET /api/tags", "GET /api/tags/{tagId}", "GET /admin/reports/{date}", "GET /api/legacy");
    }

    @Test
    void sharesOfEachMeasureSumToOne() {
        Progress p = Progress.of(RecordedSample.endpoints(), Progress.routesOf(ROUTES));
        assertThat(p.byBucket()).containsOnlyKeys(Bucket.values());
        assertThat(p.byBucket().values().stream().mapToDouble(Share::endpointShare).sum()).isCloseTo(1, within(1e-9));
        assertThat(p.byBucket().values().stream().mapToDouble(Share::requestShare).sum()).isCloseTo(1, within(1e-9));
        assertThat(p.byBucket().values().stream().mapToDouble(Share::byteShare).sum()).isCloseTo(1, within(1e-9));
    }

    @Test
    void aRouteLiteralDoesNotClaimATemplateParameterButARouteParameterOrCatchAllDoes() {
        Function<EndpointKey, Optional<RouteInfo>> routeOf = Progress.routesOf(ROUTES);
        assertThat(routeOf.apply(new EndpointKey("GET", "/api/tags/{tagId}"))).isEmpty();
        assertThat(routeOf.apply(new EndpointKey("GET", "/api/tags/popular")))
                .contains(new RouteInfo("popular-tags", Stage.RETIRED));
        assertThat(routeOf.apply(new EndpointKey("GET", "/api/users/{userId}"))).contains(new RouteInfo("users", Stage.LIVE));
        assertThat(routeOf.apply(new EndpointKey("GET", "/api/users/me"))).contains(new RouteInfo("users", Stage.LIVE));
        assertThat(routeOf.apply(new EndpointKey("GET", "/api/orders/{id}/items/{itemId}"))).isPresent();
        assertThat(routeOf.apply(new EndpointKey("POST", "/api/orders"))).as("methods still count").isEmpty();
    }

    @Test
    void sharesAreZeroWhenNothingWasCalled() {
        Progress p = Progress.of(List.of(EndpointSummary.declaredOnly(new EndpointKey("GET", "/a"))), k -> Optional.empty());
        assertThat(p.share(Bucket.UNCLAIMED)).isEqualTo(new Share(1, 0, 0, 1, 0, 0));
    }
}
