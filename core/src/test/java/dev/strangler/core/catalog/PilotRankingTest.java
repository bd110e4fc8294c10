package dev.strangler.core.catalog;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PilotRankingTest {

    private static List<EndpointSummary> unclaimedOfSample() {
        return RecordedSample.endpoints().stream().filter(e -> !e.key().template().startsWith("/api/users")).toList();
    }

    /**
     * By hand (weights 25/25/15/25/10):
     * tags: 5% traffic 1, 0% errors 1, p99 20 ms 1, read-only 1, 2 templates 1 → 100.
     * reports: 0.1% traffic log10(10)/2 = 0.5 → 12.5; errors 25; p99 3 s → 0; read-only 25; 1 template 10 → 72.5.
     * legacy: never called: traffic 0; errors 25; latency unknown 7.5; read-only 25; 10 → 67.5.
     * orders: 40% traffic 1 - 0.3/0.4 = 0.25 → 6.25; 1.5% errors 0.7 → 17.5; p99 200 ms 1 - ln 2/ln 20 = 0.769 → 11.53;
     * 25% writes 0.5 → 12.5; 2 templates 10 → 57.8.
     */
    @Test
    void ranksTheRecordedSampleWithHandCheckedScores() {
        List<PilotRanking.Candidate> ranked = PilotRanking.rank(unclaimedOfSample(), 10_000, 2);
        assertThat(ranked).extracting(PilotRanking.Candidate::prefix)
                .containsExactly("/api/tags", "/admin/reports", "/api/legacy", "/api/orders");
        assertThat(ranked.get(0).score()).isEqualTo(100.0);
        assertThat(ranked.get(1).score()).isEqualTo(72.5);
        assertThat(ranked.get(2).score()).isEqualTo(67.5);
        assertThat(ranked.get(3).score()).isCloseTo(57.8, within(0.15));
        PilotRanking.Candidate orders = ranked.get(3);
        assertThat(orders.factors()).extracting(PilotRanking.Factor::name)
                .containsExactly("traffic", "errors", "latency", "writes", "templates");
        assertThat(orders.factors().get(0).points()).isCloseTo(6.25, within(1e-9));
        assertThat(orders.factors().get(1).points()).isCloseTo(17.5, within(1e-9));
        assertThat(orders.factors().get(3).points()).isCloseTo(12.5, within(1e-9));
        assertThat(orders.requests()).isEqualTo(4000);
        assertThat(orders.errorRate()).isCloseTo(0.015, within(1e-9));
        assertThat(orders.templates()).isEqualTo(2);
        assertThat(orders.endpoints()).hasSize(3);
    }

    @Test
    void explainsEachScoreInPlainWords() {
        List<PilotRanking.Candidate> ranked = PilotRanking.rank(unclaimedOfSample(), 10_000, 2);
        assertThat(ranked.get(0).explanation())
                .isEqualTo("read-only (100% GET), 2 endpoints, 5.0% of traffic, 0.0% errors, p99 20 ms: a small, safe slice");
        // p99 3015 ms: the sketch keeps two significant digits, so 3 s reads within 1 %
        assertThat(ranked.get(1).explanation()).isEqualTo("read-only (100% GET), 1 endpoint, 0.1% of traffic, 0.0% errors, "
                + "p99 3015 ms: a reasonable pilot (held back: it is slow)");
        assertThat(ranked.get(3).explanation()).startsWith("25.0% writes (POST), 3 endpoints, 40.0% of traffic, 1.5% errors, p99 20")
                .endsWith(": possible, with care (held back: among the busiest parts of the API)");
    }

    @Test
    void ranksTheUnclaimedEndpointsOfAProgressReport() {
        List<Route> routes = List.of(
                Route.of("users", RouteMatch.path("/api/users/**"), "users").withStage(Stage.SHADOW),
                Route.of("orders-read", RouteMatch.path("/api/orders/**").withMethods("GET"), "orders"));
        List<PilotRanking.Candidate> ranked = PilotRanking.rank(Progress.of(RecordedSample.endpoints(), Progress.routesOf(routes)));
        assertThat(ranked).extracting(PilotRanking.Candidate::prefix)
                .containsExactly("/api/tags", "/admin/reports", "/api/legacy", "/api/orders");
        PilotRanking.Candidate orders = ranked.get(3);
        assertThat(orders.writeShare()).isEqualTo(1.0);
        assertThat(orders.trafficShare()).isEqualTo(0.1);
        assertThat(orders.factors().get(1).value()).isZero(); // 6% errors
    }

    @Test
    void groupsByLeadingLiteralsNotCountingVersions() {
        assertThat(TemplatePath.prefix("/api/v2/orders/{orderId}/items", 2)).isEqualTo("/api/v2/orders");
        assertThat(TemplatePath.prefix("/users/{userId}/orders", 2)).isEqualTo("/users");
        assertThat(TemplatePath.prefix("/{id}", 2)).isEqualTo("/");
        assertThat(TemplatePath.prefix("/a/b/c", 1)).isEqualTo("/a");
    }
}
