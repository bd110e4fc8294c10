package dev.strangler.core.stage;

import dev.strangler.core.routing.PathPattern;
import dev.strangler.core.routing.PathPattern.Segment;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A pair of routes where the monolith may answer reads of data whose writes it no longer sees.
 *
 * <p>Once a route sends a resource's writes to the service ({@code live} or {@code retired}, with a
 * non-safe method), the monolith's copy of that resource stops changing. A read of the same paths
 * answered by the monolith is then stale or missing (a record created on the service, read back
 * through the monolith: 404). That happens in two ways, each reported as a risk:
 * <ul>
 *   <li>{@link Kind#FALLBACK}: the reading route is served by the service but falls back to the
 *       monolith when the service fails ({@code live} or {@code canary}, {@code fallback} other than
 *       {@code none}). Fallback then trades consistency for availability; {@code fallback: none}
 *       trades it back.</li>
 *   <li>{@link Kind#MONOLITH_READS}: the reading route has not reached the service yet
 *       ({@code monolith}, {@code shadow}, or the monolith's share of a {@code canary}): its reads
 *       are answered by the monolith on every request. Moving reads before writes avoids it.</li>
 * </ul>
 * A route can pair with itself: one route that takes every method and falls back.
 *
 * <p>This is a warning, not an error: an operator may accept stale reads during a failure (a
 * catalog), and two routes may overlap on paths where the data is not shared. The check is static
 * and cautious: two path patterns overlap when some path could match both, whatever the routing
 * table would pick for a given request; hosts and header conditions must be able to hold together.
 * It judges the stages it is given: the file's at {@code validate}, the ones being served at reload.
 *
 * @param writes the route whose writes go to the service
 * @param reads  the route whose reads may be answered by the monolith (may be {@code writes} itself)
 * @param kind   how the monolith comes to answer them
 */
public record StaleReadRisk(Route writes, Route reads, Kind kind) {
    /** How the monolith comes to answer the reads. */
    public enum Kind { FALLBACK, MONOLITH_READS }

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    public StaleReadRisk {
        Objects.requireNonNull(writes, "writes");
        Objects.requireNonNull(reads, "reads");
        Objects.requireNonNull(kind, "kind");
    }

    /** Every risk among {@code routes}, in route order (by the writing route, then the reading one). */
    public static List<StaleReadRisk> find(List<Route> routes) {
        List<StaleReadRisk> risks = new ArrayList<>();
        for (Route w : routes) {
            if (!servesWrites(w)) continue;
            for (Route r : routes) {
                if (!readsOverlap(w, r)) continue;
                if (monolithAnswersReads(r)) risks.add(new StaleReadRisk(w, r, Kind.MONOLITH_READS));
                else if (readsFallBack(r)) risks.add(new StaleReadRisk(w, r, Kind.FALLBACK));
            }
        }
        return risks;
    }

    /** A sentence naming both routes, what goes wrong and what to do. */
    public String message() {
        String writesWhat = "sends writes (" + writeMethods(writes) + ") of " + writes.match().path() + " to service "
                + writes.service() + " (" + writes.stage().configName() + ")";
        String consequence = "and the monolith no longer sees those writes: it can answer them stale or missing (e.g. 404 "
                + "for a record created on the service)";
        boolean self = writes.name().equals(reads.name());
        return switch (kind) {
            case FALLBACK -> self
                    ? "route " + writes.name() + " " + writesWhat + ", but its reads fall back to the monolith when the "
                    + "service fails (fallback: " + reads.fallback().configName() + "), " + consequence
                    + "; set fallback: none on " + reads.name() + " to answer the service's error instead, or accept stale "
                    + "reads during an outage"
                    : "routes " + writes.name() + " and " + reads.name() + ": " + writes.name() + " " + writesWhat + ", but "
                    + reads.name() + "'s reads of " + reads.match().path() + " fall back to the monolith when the service "
                    + "fails (fallback: " + reads.fallback().configName() + "), " + consequence + "; set fallback: none on "
                    + reads.name() + " to answer the service's error instead, or accept stale reads during an outage";
            case MONOLITH_READS -> "routes " + writes.name() + " and " + reads.name() + ": " + writes.name() + " "
                    + writesWhat + ", but " + reads.name() + "'s reads of " + reads.match().path() + " are still answered by "
                    + "the monolith (" + reads.name() + " is in " + reads.stage().configName() + "), " + consequence
                    + "; move " + reads.name() + " to live before (or with) " + writes.name();
        };
    }

    @Override
    public String toString() {
        return message();
    }

    private static boolean servesWrites(Route r) {
        if (r.stage() != Stage.LIVE && r.stage() != Stage.RETIRED) return false;
        Set<String> methods = r.match().methods();
        return methods.isEmpty() || methods.stream().anyMatch(m -> !SAFE_METHODS.contains(m));
    }

    private static boolean readsFallBack(Route r) {
        return (r.stage() == Stage.LIVE || r.stage() == Stage.CANARY) && r.fallback().allows("GET");
    }

    private static boolean monolithAnswersReads(Route r) {
        return r.stage() == Stage.MONOLITH || r.stage() == Stage.SHADOW || r.stage() == Stage.CANARY && r.percent() < 100;
    }

    private static String writeMethods(Route r) {
        Set<String> methods = r.match().methods();
        if (methods.isEmpty()) return "every method";
        return methods.stream().filter(m -> !SAFE_METHODS.contains(m)).sorted().collect(Collectors.joining(", "));
    }

    /** Whether some read (GET or HEAD) could satisfy both routes' matches. */
    private static boolean readsOverlap(Route writes, Route reads) {
        RouteMatch w = writes.match();
        RouteMatch r = reads.match();
        if (!r.methods().isEmpty() && !r.methods().contains("GET") && !r.methods().contains("HEAD")) return false;
        if (w.host().isPresent() && r.host().isPresent() && !w.host().equals(r.host())) return false;
        for (Map.Entry<String, String> h : w.headers().entrySet()) {
            String theirs = r.headers().get(h.getKey());
            if (theirs != null && !theirs.equals(h.getValue())) return false;
        }
        return pathsOverlap(w.path(), r.path());
    }

    /** Whether some request path matches both patterns. */
    static boolean pathsOverlap(PathPattern a, PathPattern b) {
        return overlap(a.segments(), 0, b.segments(), 0);
    }

    private static boolean overlap(List<Segment> a, int i, List<Segment> b, int j) {
        if (i < a.size() && a.get(i) instanceof Segment.CatchAll) return true; // ** takes whatever the other has left
        if (j < b.size() && b.get(j) instanceof Segment.CatchAll) return true;
        if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
        Segment x = a.get(i);
        Segment y = b.get(j);
        if (x instanceof Segment.Literal lx && y instanceof Segment.Literal ly && !lx.text().equals(ly.text())) return false;
        return overlap(a, i + 1, b, j + 1);
    }
}
