package dev.strangler.core.catalog;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants of reconciling a catalog, over catalogs drawn from a small alphabet of segments so that
 * shapes collide, literals differ in case, and some endpoints only answer 404.
 */
class EndpointReconcilerPropertiesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @Provide
    Arbitrary<List<EndpointSummary>> catalogs() {
        Arbitrary<String> segment = Arbitraries.of("items", "Items", "orders", "{id}", "{itemId}", "{orderId}", "abc", "-1", "export");
        Arbitrary<String> template = segment.list().ofMinSize(1).ofMaxSize(3).map(s -> "/" + String.join("/", s))
                .filter(t -> !hasRepeatedParameter(t));
        Arbitrary<EndpointSummary> summary = Combinators.combine(Arbitraries.of("GET", "POST"), template,
                Arbitraries.longs().between(0, 50), Arbitraries.of(200, 404, 500), Arbitraries.of(true, false, false, false))
                .as((method, t, count, status, declared) -> declared
                        ? EndpointSummary.declaredOnly(new EndpointKey(method, t))
                        : new EndpointSummary(new EndpointKey(method, t), count, count == 0 ? Map.of() : Map.of(status, count),
                        LatencySketch.empty(), 0, 0, Optional.of(T0), Optional.of(T0), Optional.empty(), Optional.empty(), false));
        return summary.list().ofMaxSize(15);
    }

    private static boolean hasRepeatedParameter(String template) {
        Set<String> seen = new HashSet<>();
        for (String s : TemplatePath.segments(template)) if (SegmentShape.isParam(s) && !seen.add(s)) return true;
        return false;
    }

    @Property(tries = 500)
    void noRequestIsLostOrCountedTwice(@ForAll("catalogs") List<EndpointSummary> catalog) {
        long before = catalog.stream().mapToLong(EndpointSummary::count).sum();

        long after = EndpointReconciler.reconcile(catalog).stream().mapToLong(EndpointSummary::count).sum();

        assertThat(after).isEqualTo(before);
    }

    @Property(tries = 500)
    void noTwoEndpointsOfOneMethodHaveTheSameShape(@ForAll("catalogs") List<EndpointSummary> catalog) {
        Set<String> seen = new HashSet<>();
        for (EndpointSummary e : EndpointReconciler.reconcile(catalog))
            assertThat(seen.add(e.key().method() + " " + EndpointReconciler.shape(e.key().template())))
                    .as("%s in %s", e.key(), catalog).isTrue();
    }

    @Property(tries = 500)
    void everyDeclaredEndpointStaysDeclaredUnderADeclaredNameAndReconcilingTwiceChangesNothing(
            @ForAll("catalogs") List<EndpointSummary> catalog) {
        List<EndpointSummary> once = EndpointReconciler.reconcile(catalog);

        assertThat(EndpointReconciler.reconcile(once)).isEqualTo(once);
        Set<String> declaredTemplates = new HashSet<>();
        catalog.stream().filter(EndpointSummary::declared).forEach(d -> declaredTemplates.add(d.key().template()));
        for (EndpointSummary d : catalog.stream().filter(EndpointSummary::declared).toList()) {
            EndpointSummary now = once.stream().filter(e -> e.key().method().equals(d.key().method())
                    && EndpointReconciler.shape(e.key().template()).equals(EndpointReconciler.shape(d.key().template())))
                    .findFirst().orElseThrow();
            assertThat(now.declared()).isTrue();
            assertThat(declaredTemplates).contains(now.key().template());
        }
    }
}
