package dev.strangler.core.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the most specific route for a request in time that grows with the depth of the path, not
 * with the number of routes: a plan for a big monolith has a thousand routes, and the gateway asks
 * this table on every request.
 *
 * <h2>Design</h2>
 * Patterns are stored in a trie of path segments. Each node has literal children (a hash map),
 * at most one parameter child, the routes whose pattern ends at the node, and the routes whose
 * pattern ends with {@code **} at the node. Lookup is a depth-first walk that tries, at each
 * segment, the literal child, then the parameter child, then the catch-all routes.
 *
 * <h2>Specificity</h2>
 * That walk order is the specificity order: compared segment by segment from the left, a literal
 * beats a parameter, which beats {@code **}; the first route found is therefore the most specific
 * path. Among routes with the same path shape, a host condition beats none, more header conditions
 * beat fewer, and a method list beats "all methods" ({@link RouteMatch#conditionRank()}); each
 * node keeps its routes sorted by that rank, so the first whose conditions hold wins.
 *
 * <h2>Invariant</h2>
 * Two routes with the same shape and rank whose conditions can both hold would make the winner
 * depend on file order. {@link #conflicts(List)} reports every such pair; the config validator
 * refuses them, so a table built from a valid config has exactly one answer for every request.
 */
public final class RouteTable {
    private static final class Node {
        final Map<String, Node> literals = new HashMap<>(4);
        Node param;
        final List<Route> exact = new ArrayList<>(1);
        final List<Route> catchAll = new ArrayList<>(1);
    }

    private static final Comparator<Route> BY_CONDITION_RANK =
            Comparator.comparingInt((Route r) -> r.match().conditionRank()).reversed();

    private final Node root;
    private final List<Route> routes;
    private final Map<String, Route> byName;

    private RouteTable(Node root, List<Route> routes) {
        this.root = root;
        this.routes = List.copyOf(routes);
        Map<String, Route> names = new HashMap<>();
        for (Route r : routes) names.put(r.name(), r);
        this.byName = Map.copyOf(names);
    }

    /** Builds the table; call {@link #conflicts(List)} first when the routes are not yet validated. */
    public static RouteTable of(List<Route> routes) {
        Node root = new Node();
        for (Route route : routes) {
            Node node = root;
            boolean catchAll = false;
            for (PathPattern.Segment s : route.match().path().segments()) {
                switch (s) {
                    case PathPattern.Segment.Literal l -> node = node.literals.computeIfAbsent(l.text(), k -> new Node());
                    case PathPattern.Segment.Param p -> node = node.param == null ? (node.param = new Node()) : node.param;
                    case PathPattern.Segment.CatchAll c -> catchAll = true;
                }
            }
            (catchAll ? node.catchAll : node.exact).add(route);
        }
        sortAll(root);
        return new RouteTable(root, routes);
    }

    private static void sortAll(Node node) {
        node.exact.sort(BY_CONDITION_RANK);
        node.catchAll.sort(BY_CONDITION_RANK);
        node.literals.values().forEach(RouteTable::sortAll);
        if (node.param != null) sortAll(node.param);
    }

    public static RouteTable empty() {
        return of(List.of());
    }

    /** The most specific route whose match holds for the request, or empty: the monolith answers. */
    public Optional<Route> match(RequestFacts request) {
        if (routes.isEmpty()) return Optional.empty();
        List<String> segments = RequestPath.segments(request.path());
        return Optional.ofNullable(find(root, segments, 0, request));
    }

    private static Route find(Node node, List<String> segments, int index, RequestFacts request) {
        if (index == segments.size()) {
            Route r = firstHolding(node.exact, request);
            return r != null ? r : firstHolding(node.catchAll, request);
        }
        Node literal = node.literals.get(segments.get(index));
        if (literal != null) {
            Route r = find(literal, segments, index + 1, request);
            if (r != null) return r;
        }
        if (node.param != null) {
            Route r = find(node.param, segments, index + 1, request);
            if (r != null) return r;
        }
        return firstHolding(node.catchAll, request);
    }

    private static Route firstHolding(List<Route> candidates, RequestFacts request) {
        for (int i = 0, n = candidates.size(); i < n; i++) {
            Route r = candidates.get(i);
            if (r.match().conditionsHold(request)) return r;
        }
        return null;
    }

    public List<Route> routes() {
        return routes;
    }

    public Optional<Route> route(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Every pair of routes that could match the same request with equal specificity. Routes are
     * grouped by path shape first, so this is quadratic only within a shape, not in the plan size.
     */
    public static List<RouteConflict> conflicts(List<Route> routes) {
        Map<String, List<Integer>> byShape = new HashMap<>();
        for (int i = 0; i < routes.size(); i++)
            byShape.computeIfAbsent(routes.get(i).match().path().shape(), k -> new ArrayList<>()).add(i);
        List<RouteConflict> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> group : byShape.entrySet()) {
            List<Integer> idx = group.getValue();
            for (int a = 0; a < idx.size(); a++) {
                for (int b = a + 1; b < idx.size(); b++) {
                    Route first = routes.get(idx.get(a));
                    Route second = routes.get(idx.get(b));
                    if (first.match().conditionRank() == second.match().conditionRank()
                            && first.match().conditionsOverlap(second.match())) {
                        out.add(new RouteConflict(idx.get(a), idx.get(b), String.format(
                                "routes '%s' and '%s' both match %s with the same specificity, so neither can win; "
                                        + "give one a narrower match (methods, host or headers) or merge them",
                                first.name(), second.name(), group.getKey())));
                    }
                }
            }
        }
        out.sort(Comparator.comparingInt(RouteConflict::secondIndex).thenComparingInt(RouteConflict::firstIndex));
        return out;
    }
}
