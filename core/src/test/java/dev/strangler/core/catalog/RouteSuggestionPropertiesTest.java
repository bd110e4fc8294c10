package dev.strangler.core.catalog;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteConflict;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.routing.RouteTable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.strangler.core.catalog.RecordedSample.summary;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever routes are in force, a suggestion adds no tie, reuses no name and claims no endpoint twice. */
class RouteSuggestionPropertiesTest {

    @Provide
    Arbitrary<List<EndpointSummary>> catalogs() {
        Arbitrary<String> template = Arbitraries.of("/api/posts", "/api/posts/{postId}", "/api/v2/posts/{postId}",
                "/api/posts/{postId}/comments", "/api/posts/search", "/api/users/{userId}");
        return Combinators.combine(Arbitraries.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE"), template)
                .as((m, t) -> summary(m, t, 3, 0, 1)).list().ofMinSize(1).ofMaxSize(10)
                .map(l -> l.stream().collect(java.util.stream.Collectors.toMap(EndpointSummary::key, e -> e, (a, b) -> a))
                        .values().stream().toList());
    }

    @Provide
    Arbitrary<List<Route>> routesInForce() {
        Arbitrary<String> path = Arbitraries.of("/api/posts/**", "/api/posts/{id}", "/api/v2/posts/**", "/api/**", "/api/posts/search");
        Arbitrary<List<String>> methods = Arbitraries.of("GET", "OPTIONS", "POST", "DELETE").set().ofMaxSize(2).map(List::copyOf);
        Arbitrary<String> name = Arbitraries.of("posts-read", "posts-write", "posts-v2-read", "legacy", "other");
        return Combinators.combine(name, path, methods).as((n, p, m) -> {
            RouteMatch match = RouteMatch.path(p);
            if (!m.isEmpty()) match = match.withMethods(m.toArray(String[]::new));
            return Route.of(n, match, "posts");
        }).list().ofMaxSize(4).map(RouteSuggestionPropertiesTest::valid);
    }

    /** Routes as a valid config has them: unique names, no ties. */
    private static List<Route> valid(List<Route> routes) {
        List<Route> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Route r : routes) {
            if (!names.add(r.name())) continue;
            List<Route> with = new ArrayList<>(out);
            with.add(r);
            if (RouteTable.conflicts(with).isEmpty()) out.add(r);
            else names.remove(r.name());
        }
        return out;
    }

    @Property
    void aSuggestionNeverTiesWithARouteInForceNorReusesItsName(@ForAll("catalogs") List<EndpointSummary> catalog,
                                                             @ForAll("routesInForce") List<Route> inForce) {
        RouteSuggestion s = RouteSuggestion.of("/api/posts", catalog, inForce);
        List<Route> all = new ArrayList<>(inForce);
        all.addAll(s.routes());
        List<RouteConflict> conflicts = RouteTable.conflicts(all);
        assertThat(conflicts).as(s.yaml()).isEmpty();
        Set<String> names = new HashSet<>();
        for (Route r : all) assertThat(names.add(r.name())).as("name %s used twice", r.name()).isTrue();
        // every endpoint of the group is either claimed by a route in force or listed for a suggested route
        long inGroup = catalog.stream().filter(e -> EndpointGrouping.isInGroup(e.key().template(), "/api/posts")).count();
        assertThat(s.claimed().size() + s.reads().size() + s.writes().size()).isEqualTo((int) inGroup);
    }
}
