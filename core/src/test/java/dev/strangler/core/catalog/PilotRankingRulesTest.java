package dev.strangler.core.catalog;

import dev.strangler.core.coupling.Affinity;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.strangler.core.catalog.RecordedSample.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The rules that make the ranking read like an architect's advice (issue 11, item 5). */
class PilotRankingRulesTest {

    private static List<EndpointSummary> shop(String context) {
        return List.of(
                summary("GET", context + "/products", 3000, 0, 20),
                summary("GET", context + "/products/{productId}", 2000, 0, 20),
                summary("GET", context + "/categories", 500, 0, 20),
                summary("POST", context + "/orders", 800, 0, 50),
                summary("GET", context + "/orders/{orderId}", 700, 0, 50),
                summary("GET", context + "/customers/{customerId}", 400, 0, 30));
    }

    private static List<String> prefixes(List<PilotRanking.Candidate> ranked) {
        return ranked.stream().map(PilotRanking.Candidate::prefix).sorted().toList();
    }

    @Test
    void aContextPathSharedByAllPathsIsSkippedSoTheAppIsNotOneGroup() {
        List<EndpointSummary> endpoints = shop("/shop/api");
        List<PilotRanking.Candidate> ranked = PilotRanking.rank(Progress.of(endpoints, k -> Optional.empty()));
        assertThat(prefixes(ranked)).containsExactly("/shop/api/categories", "/shop/api/customers", "/shop/api/orders",
                "/shop/api/products");
        assertThat(PilotRanking.grouping(endpoints, null).commonPath()).isEqualTo("/shop/api");
    }

    @Test
    void theDepthCountsFromTheCommonPrefix() {
        List<EndpointSummary> endpoints = List.of(
                summary("GET", "/api/orders/search", 10, 0, 10),
                summary("GET", "/api/orders/{orderId}", 10, 0, 10),
                summary("GET", "/api/users/{userId}", 10, 0, 10));
        assertThat(prefixes(PilotRanking.rank(endpoints, 30, 1))).containsExactly("/api/orders", "/api/users");
        assertThat(prefixes(PilotRanking.rank(endpoints, 30, 2))).containsExactly("/api/orders", "/api/orders/search", "/api/users");
    }

    @Test
    void theCommonPrefixNeverSwallowsTheResource() {
        List<EndpointSummary> endpoints = List.of(summary("GET", "/api/orders", 10, 0, 10),
                summary("GET", "/api/orders/{orderId}", 10, 0, 10));
        assertThat(prefixes(PilotRanking.rank(Progress.of(endpoints, k -> Optional.empty())))).containsExactly("/api/orders");
        assertThat(EndpointGrouping.commonPrefix(List.of("/api/orders", "/api/orders/{id}"))).containsExactly("api");
        assertThat(EndpointGrouping.commonPrefix(List.of("/api/v1/orders/{id}", "/api/v1/users"))).containsExactly("api", "v1");
        assertThat(EndpointGrouping.commonPrefix(List.of("/", "/{id}", "/api/users"))).containsExactly("api");
    }

    @Test
    void versionSegmentsGroupWithTheirUnversionedResource() {
        List<EndpointSummary> endpoints = List.of(
                summary("GET", "/api/orders", 100, 0, 10),
                summary("GET", "/api/v2/orders/{orderId}", 100, 0, 10),
                summary("GET", "/api/v10/orders/{orderId}/lines", 100, 0, 10),
                summary("GET", "/api/users", 100, 0, 10));
        List<PilotRanking.Candidate> ranked = PilotRanking.rank(Progress.of(endpoints, k -> Optional.empty()));
        assertThat(prefixes(ranked)).containsExactly("/api/orders", "/api/users");
        PilotRanking.Candidate orders = ranked.stream().filter(c -> c.prefix().equals("/api/orders")).findFirst().orElseThrow();
        assertThat(orders.endpoints()).hasSize(3);
        assertThat(orders.paths()).containsExactly("/api/orders", "/api/v10/orders", "/api/v2/orders");
        assertThat(orders.explanation()).endsWith("; paths /api/orders, /api/v10/orders, /api/v2/orders");
    }

    @Test
    void aGroupThatFailsMostOfTheTimeIsFlaggedAndListedLastWhateverItsScore() {
        List<EndpointSummary> endpoints = new ArrayList<>(shop("/api"));
        endpoints.add(new EndpointSummary(new EndpointKey("GET", "/api/reports/{reportId}"), 1000,
                Map.of(200, 380L, 500, 300L, 422, 320L), RecordedSample.summary("GET", "/x", 1, 0, 10).latency(), 0, 0,
                Optional.of(RecordedSample.AT), Optional.of(RecordedSample.AT), Optional.empty(), Optional.empty(), false));
        List<PilotRanking.Candidate> ranked = PilotRanking.rank(Progress.of(endpoints, k -> Optional.empty()));
        PilotRanking.Candidate last = ranked.getLast();
        assertThat(last.prefix()).isEqualTo("/api/reports");
        assertThat(last.flagged()).isTrue();
        assertThat(last.failureRate()).isCloseTo(0.62, within(1e-9));
        assertThat(last.explanation()).contains("flagged, not recommended: fails 62% of requests: fix or understand it before moving it")
                .doesNotContain("pilot");
        assertThat(ranked.subList(0, ranked.size() - 1)).noneMatch(PilotRanking.Candidate::flagged);
    }

    @Test
    void notFoundAndRefusedAnswersAreNotFailures() {
        EndpointSummary e = new EndpointSummary(new EndpointKey("GET", "/api/items/{id}"), 100,
                Map.of(200, 10L, 404, 60L, 401, 20L, 429, 10L), LatencySketch.empty(), 0, 0, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), false);
        assertThat(PilotRanking.failures(e)).isZero();
        assertThat(PilotRanking.rank(List.of(e), 100, 1).getFirst().flagged()).isFalse();
    }

    @Test
    void aGroupCoupledToAnotherByItsSessionsIsHeldBackAndSaysWhyInWords() {
        List<EndpointSummary> endpoints = shop("/api");
        Affinity affinity = new Affinity(1000, Map.of("/api/categories", 100L, "/api/products", 600L, "/api/orders", 300L),
                Map.of(Affinity.Pair.of("/api/categories", "/api/products"), 38L, Affinity.Pair.of("/api/orders", "/api/products"), 10L));
        long total = endpoints.stream().mapToLong(EndpointSummary::count).sum();
        EndpointGrouping grouping = PilotRanking.grouping(endpoints, null);
        Map<String, PilotRanking.Candidate> without = byPrefix(PilotRanking.rank(endpoints, total, grouping, Affinity.NONE));
        Map<String, PilotRanking.Candidate> with = byPrefix(PilotRanking.rank(endpoints, total, grouping, affinity));

        PilotRanking.Candidate categories = with.get("/api/categories");
        assertThat(categories.coupled()).singleElement().satisfies(c -> {
            assertThat(c.group()).isEqualTo("/api/products");
            assertThat(c.share()).isEqualTo(0.38);
        });
        assertThat(categories.score()).isCloseTo(without.get("/api/categories").score() - 20 * 0.38, within(0.1));
        assertThat(categories.explanation())
                .contains("moving /api/categories alone splits 38.0% of its sessions, which also call /api/products");
        // 10 of the 300 order sessions (3%) is below the tight-coupling share: no penalty, no words
        assertThat(with.get("/api/orders").coupled()).isEmpty();
        assertThat(with.get("/api/orders").score()).isEqualTo(without.get("/api/orders").score());
    }

    private static Map<String, PilotRanking.Candidate> byPrefix(List<PilotRanking.Candidate> ranked) {
        return ranked.stream().collect(Collectors.toMap(PilotRanking.Candidate::prefix, c -> c, (a, b) -> a, TreeMap::new));
    }

    @Provide
    Arbitrary<List<String>> templates() {
        Arbitrary<String> segment = Arbitraries.of("orders", "users", "items", "search", "v1", "v2", "{id}", "{userId}");
        return segment.list().ofMinSize(1).ofMaxSize(4).map(s -> "/" + String.join("/", s)).list().ofMinSize(1).ofMaxSize(12);
    }

    /** Behind any context path the same endpoints form the same groups: the context only prefixes each name. */
    @Property
    void aContextPathChangesNoGroupOnlyItsName(@ForAll("templates") List<String> templates,
                                               @ForAll("contexts") String context) {
        List<String> api = templates.stream().filter(PilotRankingRulesTest::startsWithAResource).map(t -> "/api" + t).toList();
        if (api.isEmpty()) return;
        EndpointGrouping plain = EndpointGrouping.of(api);
        EndpointGrouping moved = EndpointGrouping.of(api.stream().map(t -> context + t).toList());
        assertThat(moved.commonPath()).isEqualTo(context + plain.commonPath());
        for (String t : api) assertThat(moved.groupOf(context + t).name()).isEqualTo(context + plain.groupOf(t).name());
    }

    /** A literal other than a version before any parameter: the templates that belong to a group at all. */
    private static boolean startsWithAResource(String template) {
        for (String s : TemplatePath.segments(template)) {
            if (SegmentShape.isParam(s)) return false;
            if (!SegmentShape.isVersion(s)) return true;
        }
        return false;
    }

    @Provide
    Arbitrary<String> contexts() {
        return Arbitraries.of("/shop/api", "/api", "/app/rest/v3", "/x");
    }

    /** Every endpoint is in exactly one group, and a group's name, versions aside, is a prefix of each of its templates. */
    @Property
    void everyEndpointIsInTheGroupItsNameSays(@ForAll("templates") List<String> templates) {
        List<EndpointSummary> endpoints = templates.stream().distinct().map(t -> summary("GET", t, 1, 0, 1)).toList();
        List<PilotRanking.Candidate> ranked = PilotRanking.rank(endpoints, endpoints.size(), PilotRanking.grouping(endpoints, null),
                Affinity.NONE);
        assertThat(ranked.stream().mapToInt(c -> c.endpoints().size()).sum()).isEqualTo(endpoints.size());
        for (PilotRanking.Candidate c : ranked)
            for (EndpointSummary e : c.endpoints()) assertThat(EndpointGrouping.isInGroup(e.key().template(), c.prefix())).isTrue();
    }
}
