package dev.strangler.core.catalog;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteConflict;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.routing.RouteTable;
import dev.strangler.core.stage.Stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A ready-to-paste {@code routes:} block for one group of endpoints ({@code /api/posts}): per path
 * prefix of the group ({@code /api/posts}, and {@code /api/v2/posts} when a version of it exists),
 * a route for the reads, to start in {@code shadow}, and, when there are writes, a second route
 * for them that stays in {@code monolith} until the reads are live. Writes are kept apart because
 * a shadowed write would run twice; the usual order is to move reads first.
 *
 * <h2>Routes in force</h2>
 * Endpoints a route in force already claims are left out (and listed as such). Every suggested
 * route is checked with {@link RouteTable#conflicts} against the routes in force and the ones
 * suggested before it: a route that would tie with one of them is narrowed to the methods the
 * other does not take, or left out with the reason when none remain. Names already taken get a
 * suffix. So the block never makes {@code validate} refuse the config.
 *
 * @param service the service name the routes point at, derived from the prefix ({@code /api/posts} → {@code posts})
 * @param reads   GET, HEAD and OPTIONS endpoints of the group that no route claims
 * @param writes  the other endpoints of the group that no route claims
 * @param claimed endpoints of the group a route in force claims, with that route's name
 * @param routes  the suggested routes, in order
 * @param notes   what was left out or changed, and why, in words
 */
public record RouteSuggestion(String prefix, String service, List<EndpointSummary> reads, List<EndpointSummary> writes,
                              Map<EndpointKey, String> claimed, List<Route> routes, List<String> notes) {
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    public RouteSuggestion {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(service, "service");
        reads = List.copyOf(reads);
        writes = List.copyOf(writes);
        claimed = Collections.unmodifiableMap(new TreeMap<>(claimed));
        routes = List.copyOf(routes);
        notes = List.copyOf(notes);
    }

    /** The suggestion for the endpoints of the group {@code prefix}, with no route in force. */
    public static RouteSuggestion of(String prefix, List<EndpointSummary> catalog) {
        return of(prefix, catalog, List.of());
    }

    /**
     * The suggestion for the endpoints of the group {@code prefix} (segment by segment, versions
     * grouped with the unversioned resource), given the routes in force now.
     */
    public static RouteSuggestion of(String prefix, List<EndpointSummary> catalog, List<Route> inForce) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(inForce, "inForce");
        if (!prefix.startsWith("/")) throw new IllegalArgumentException("prefix: " + prefix + " (expected: starting with /)");
        Function<EndpointKey, Optional<Progress.RouteInfo>> routeOf = Progress.routesOf(inForce);
        List<EndpointSummary> reads = new ArrayList<>();
        List<EndpointSummary> writes = new ArrayList<>();
        Map<EndpointKey, String> claimed = new TreeMap<>();
        // per concrete path prefix: the read and the write endpoints under it
        Map<String, List<List<EndpointSummary>>> byPath = new TreeMap<>();
        for (EndpointSummary e : catalog) {
            // OTHER stands for methods outside the registry, which no route can name
            if (!EndpointGrouping.isInGroup(e.key().template(), prefix) || e.key().method().equals("OTHER")) continue;
            Optional<Progress.RouteInfo> by = routeOf.apply(e.key());
            if (by.isPresent()) {
                claimed.put(e.key(), by.get().route());
                continue;
            }
            boolean read = READS.contains(e.key().method());
            (read ? reads : writes).add(e);
            byPath.computeIfAbsent(EndpointGrouping.concretePrefix(e.key().template(), prefix),
                    k -> List.of(new ArrayList<>(), new ArrayList<>())).get(read ? 0 : 1).add(e);
        }
        String service = serviceName(prefix);
        List<String> notes = new ArrayList<>();
        List<Route> suggested = new ArrayList<>();
        List<Route> all = new ArrayList<>(inForce);
        Set<String> names = new HashSet<>();
        inForce.forEach(r -> names.add(r.name()));
        for (Map.Entry<String, List<List<EndpointSummary>>> p : byPath.entrySet()) {
            String path = p.getKey();
            // a version in the name only tells routes of one group apart
            String base = byPath.size() == 1 ? service : service + versionTag(path);
            List<EndpointSummary> pathReads = p.getValue().get(0);
            List<EndpointSummary> pathWrites = p.getValue().get(1);
            if (!pathReads.isEmpty())
                place(route(unique(base + "-read", names), path, methods(pathReads, true), service, Stage.SHADOW), all, suggested, notes);
            if (!pathWrites.isEmpty())
                place(route(unique(base + "-write", names), path, methods(pathWrites, false), service, Stage.MONOLITH), all,
                        suggested, notes);
        }
        return new RouteSuggestion(normalized(prefix), service, reads, writes, claimed, suggested, notes);
    }

    /** Adds the route unless it ties with one already there; narrows its methods first when that avoids the tie. */
    private static void place(Route candidate, List<Route> all, List<Route> suggested, List<String> notes) {
        Route route = candidate;
        for (int attempt = 0; attempt < 2; attempt++) {
            List<Route> with = new ArrayList<>(all);
            with.add(route);
            List<RouteConflict> conflicts = RouteTable.conflicts(with).stream()
                    .filter(c -> c.secondIndex() == with.size() - 1 || c.firstIndex() == with.size() - 1).toList();
            if (conflicts.isEmpty()) {
                all.add(route);
                suggested.add(route);
                return;
            }
            Route other = with.get(conflicts.getFirst().firstIndex() == with.size() - 1
                    ? conflicts.getFirst().secondIndex() : conflicts.getFirst().firstIndex());
            Set<String> left = new TreeSet<>(route.match().methods());
            left.removeAll(other.match().methods());
            if (other.match().methods().isEmpty() || left.isEmpty() || attempt == 1) {
                notes.add(String.format(Locale.ROOT, "not suggested: %s (%s %s) would tie with route '%s', which already "
                        + "takes these requests", route.name(), String.join(", ", new TreeSet<>(route.match().methods())),
                        route.match().path(), other.name()));
                return;
            }
            notes.add(String.format(Locale.ROOT, "%s takes only %s: route '%s' already takes %s on %s", route.name(),
                    String.join(", ", left), other.name(), String.join(", ", new TreeSet<>(other.match().methods())), route.match().path()));
            route = Route.of(route.name(), route.match().withMethods(left.toArray(String[]::new)), route.service())
                    .withStage(route.stage());
        }
    }

    private static Route route(String name, String path, List<String> methods, String service, Stage stage) {
        String pattern = (path.equals("/") ? "" : path) + "/**";
        return Route.of(name, RouteMatch.path(pattern).withMethods(methods.toArray(String[]::new)), service).withStage(stage);
    }

    private static String unique(String name, Set<String> taken) {
        String n = name;
        for (int k = 2; !taken.add(n); k++) n = name + "-" + k;
        return n;
    }

    /** {@code /api/v2/posts} → {@code -v2}; no version → empty. */
    private static String versionTag(String path) {
        StringBuilder b = new StringBuilder();
        for (String s : TemplatePath.segments(path)) if (SegmentShape.isVersion(s)) b.append('-').append(s.toLowerCase(Locale.ROOT));
        return b.toString();
    }

    private static List<String> methods(List<EndpointSummary> endpoints, boolean reads) {
        Set<String> methods = reads ? new TreeSet<>(List.of("GET", "HEAD")) : new TreeSet<>();
        for (EndpointSummary e : endpoints) methods.add(e.key().method());
        return List.copyOf(methods);
    }

    /** The YAML: a comment header listing the endpoints covered, then the {@code routes:} block. */
    public String yaml() {
        StringBuilder b = new StringBuilder();
        b.append("# Routes for ").append(prefix).append(": ").append(reads.size() + writes.size())
                .append(" endpoint(s) seen");
        if (!claimed.isEmpty()) b.append(", ").append(claimed.size()).append(" more already claimed by routes in force");
        b.append('\n');
        for (EndpointSummary e : sorted()) b.append(String.format(Locale.ROOT, "#   %-7s %s  (%,d requests)%n",
                e.key().method(), e.key().template(), e.count()));
        Map<String, List<String>> byRoute = new LinkedHashMap<>();
        claimed.forEach((k, r) -> byRoute.computeIfAbsent(r, x -> new ArrayList<>()).add(k.method() + " " + k.template()));
        byRoute.forEach((r, ks) -> b.append("# Already claimed by route ").append(r).append(": ").append(String.join(", ", ks)).append('\n'));
        for (String note : notes) b.append("# Note: ").append(note).append('\n');
        if (routes.isEmpty()) {
            b.append("# Nothing to add: the routes in force already take every endpoint of ").append(prefix).append(".\n");
            return b.toString();
        }
        b.append("# Point 'service' at the new service (declared under services:).\n");
        b.append("routes:\n");
        Route previous = null;
        for (Route r : routes) {
            if (r.stage() == Stage.MONOLITH) {
                boolean afterItsReads = previous != null && previous.stage() != Stage.MONOLITH
                        && previous.match().path().equals(r.match().path());
                b.append("  # Writes stay with the monolith; move them once ")
                        .append(afterItsReads ? previous.name() + " is live.\n" : "the reads are live.\n");
            }
            b.append("  - name: ").append(r.name()).append('\n');
            b.append("    match: { methods: [").append(String.join(", ", new TreeSet<>(r.match().methods())))
                    .append("], path: ").append(r.match().path()).append(" }\n");
            b.append("    service: ").append(r.service()).append('\n');
            b.append("    stage: ").append(r.stage().configName()).append('\n');
            previous = r;
        }
        return b.toString();
    }

    private List<EndpointSummary> sorted() {
        List<EndpointSummary> all = new ArrayList<>(reads);
        all.addAll(writes);
        all.sort((a, b) -> a.key().compareTo(b.key()));
        return all;
    }

    private static String normalized(String prefix) {
        return "/" + String.join("/", TemplatePath.segments(prefix));
    }

    /** The last literal of the prefix that is not a version, as a lower-case name: {@code /api/v2/Blog_Posts} → {@code blog-posts}. */
    static String serviceName(String prefix) {
        List<String> segments = TemplatePath.segments(prefix);
        for (int i = segments.size() - 1; i >= 0; i--) {
            String s = segments.get(i);
            if (SegmentShape.isVersion(s) || SegmentShape.isParam(s)) continue;
            String name = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
            if (!name.isEmpty()) return name;
        }
        return "CHANGE-ME";
    }
}
