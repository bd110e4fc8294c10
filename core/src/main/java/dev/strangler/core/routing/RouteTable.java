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
 * segment, the literal child, then the parameter child, then the catch-all routes. The walk reads
 * the request path in place: a segment is an index range of the (normalised) path, and a literal
 * child is found by that range ({@link Literals}), so no segment string or list is made per request.
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
        /** While building; {@link #literals} is made from it once the table is complete. */
        Map<String, Node> building = new HashMap<>(4);
        Literals literals = Literals.NONE;
        Node param;
        final List<Route> exact = new ArrayList<>(1);
        final List<Route> catchAll = new ArrayList<>(1);
    }

    /**
     * A node's literal children, found by a range of the request path: open addressing with linear
     * probing over {@link String#hashCode()} computed on the range, keys compared with
     * {@link String#regionMatches}. Read-only once built.
     */
    private static final class Literals {
        static final Literals NONE = new Literals(new String[1], new Node[1]);
        private final String[] keys;
        private final Node[] nodes;
        private final int mask;

        private Literals(String[] keys, Node[] nodes) {
            this.keys = keys;
            this.nodes = nodes;
            this.mask = keys.length - 1;
        }

        static Literals of(Map<String, Node> children) {
            if (children.isEmpty()) return NONE;
            int size = Integer.highestOneBit(children.size() * 2 - 1) << 1; // at most half full
            Literals t = new Literals(new String[size], new Node[size]);
            for (Map.Entry<String, Node> e : children.entrySet()) {
                int i = spread(e.getKey().hashCode()) & t.mask;
                while (t.keys[i] != null) i = (i + 1) & t.mask;
                t.keys[i] = e.getKey();
                t.nodes[i] = e.getValue();
            }
            return t;
        }

        /** The child named {@code path[from, to)}, or null. */
        Node get(String path, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) h = 31 * h + path.charAt(i);
            int length = to - from;
            for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
                String key = keys[i];
                if (key == null) return null;
                if (key.length() == length && path.regionMatches(from, key, 0, length)) return nodes[i];
            }
        }

        private static int spread(int h) {
            return h ^ (h >>> 16);
        }
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
                    case PathPattern.Segment.Literal l -> node = node.building.computeIfAbsent(l.text(), k -> new Node());
                    case PathPattern.Segment.Param p -> node = node.param == null ? (node.param = new Node()) : node.param;
                    case PathPattern.Segment.CatchAll c -> catchAll = true;
                }
            }
            (catchAll ? node.catchAll : node.exact).add(route);
        }
        complete(root);
        return new RouteTable(root, routes);
    }

    /** Sorts every node's routes by rank and turns its literal children into a {@link Literals}. */
    private static void complete(Node node) {
        node.exact.sort(BY_CONDITION_RANK);
        node.catchAll.sort(BY_CONDITION_RANK);
        node.building.values().forEach(RouteTable::complete);
        if (node.param != null) complete(node.param);
        node.literals = Literals.of(node.building);
        node.building = null;
    }

    public static RouteTable empty() {
        return of(List.of());
    }

    /**
     * The most specific route whose match holds for the request, or empty: the monolith answers.
     * The path's segments are its non-empty runs between {@code /} (as {@link RequestPath#segments}).
     */
    public Optional<Route> match(RequestFacts request) {
        if (routes.isEmpty()) return Optional.empty();
        String path = request.path();
        return Optional.ofNullable(find(root, path, segmentStart(path, 0), request));
    }

    /**
     * Whether the request's path routes to the same place as a servlet container would read it, its
     * {@code ;params} dropped ({@link RequestPath#withoutParameters}). A monolith on Tomcat serves
     * {@code /api/orders;jsessionid=1/7} as {@code /api/orders/7}: if the gateway matched the path as
     * written, such a request would escape a route that owns {@code /api/orders/**}. {@code matched}
     * is what {@link #match} gave. True at once for a path without {@code ;} (nearly all).
     */
    public boolean routesAlikeWithoutParameters(RequestFacts request, Optional<Route> matched) {
        String path = request.path();
        if (path.indexOf(';') < 0) return true;
        String read = RequestPath.withoutParameters(path);
        Route readAs = routes.isEmpty() ? null : find(root, read, segmentStart(read, 0), request);
        return readAs == matched.orElse(null);
    }

    /** Where the segment at or after {@code from} starts (past any {@code /}), or the path's length when none is left. */
    private static int segmentStart(String path, int from) {
        int n = path.length();
        while (from < n && path.charAt(from) == '/') from++;
        return from;
    }

    /** {@code from}: the start of a segment, or the path's length when all were consumed. */
    private static Route find(Node node, String path, int from, RequestFacts request) {
        if (from == path.length()) {
            Route r = firstHolding(node.exact, request);
            return r != null ? r : firstHolding(node.catchAll, request);
        }
        int slash = path.indexOf('/', from);
        int to = slash < 0 ? path.length() : slash;
        int next = segmentStart(path, to);
        Node literal = node.literals.get(path, from, to);
        if (literal != null) {
            Route r = find(literal, path, next, request);
            if (r != null) return r;
        }
        if (node.param != null) {
            Route r = find(node.param, path, next, request);
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
