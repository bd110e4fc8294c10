package dev.strangler.core.catalog;

import dev.strangler.core.coupling.Affinity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ranks groups of unclaimed endpoints (by path prefix, {@code /api/posts}) as a first, low-risk
 * slice to move: the pilot.
 *
 * <h2>Score</h2>
 * 0..100, the sum of five factors, each a value in 0..1 times its weight:
 * <ul>
 *   <li><b>traffic</b> ({@value #TRAFFIC_WEIGHT}): moderate is best. 1 to 10% of all requests
 *       scores 1 (enough to learn from, not the busiest); below 1% it falls on a log scale to 0 at
 *       0.01%; above 10% it falls linearly to 0 at 50%.</li>
 *   <li><b>errors</b> ({@value #ERROR_WEIGHT}): share of 5xx answers; 0% scores 1, 5% or more 0.</li>
 *   <li><b>latency</b> ({@value #LATENCY_WEIGHT}): p99 up to 100 ms scores 1, 2 s or more 0, on a
 *       log scale between; unknown (never called) 0.5.</li>
 *   <li><b>writes</b> ({@value #WRITE_WEIGHT}): share of requests other than GET, HEAD and OPTIONS;
 *       read-only scores 1, half writes or more 0.</li>
 *   <li><b>templates</b> ({@value #TEMPLATE_WEIGHT}): distinct path templates; up to 3 score 1,
 *       20 or more 0.</li>
 * </ul>
 *
 * <h2>Groups</h2>
 * Endpoints are grouped by {@link EndpointGrouping}: the common prefix of all paths (a context path,
 * {@code /api}) is skipped, version segments group with their unversioned resource.
 *
 * <h2>Flags and coupling</h2>
 * A group that fails most of the time ({@value #FAILING_SHARE_PERCENT}% or more of its requests
 * answered 5xx, or 4xx other than 401, 403, 404 and 429) is <em>flagged</em>: it is listed after
 * every other group, whatever its score, because moving a broken thing only moves the breakage.
 * When traffic coupling is known ({@link Affinity}), a group whose sessions also call another
 * group loses up to {@value #COUPLING_PENALTY} points: moving it alone splits those sessions
 * between two backends (more latency, two places to debug, consistency between them).
 *
 * Ranked unflagged first, then by score, best first, then by prefix, so the ranking is deterministic.
 */
public final class PilotRanking {
    /** A group coupled to another by this share of its sessions or more is named in the explanation. */
    public static final double TIGHT_COUPLING = 0.25;
    static final int FAILING_SHARE_PERCENT = 50;
    static final int COUPLING_PENALTY = 20;
    static final int TRAFFIC_WEIGHT = 25;
    static final int ERROR_WEIGHT = 25;
    static final int LATENCY_WEIGHT = 15;
    static final int WRITE_WEIGHT = 25;
    static final int TEMPLATE_WEIGHT = 10;

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private PilotRanking() {}

    /** One factor of a score: its value (0..1), its weight, and the points it adds (value × weight). */
    public record Factor(String name, double value, int weight, double points) {}

    /**
     * One group of endpoints and how good a pilot it would be.
     *
     * @param trafficShare share of all requests (claimed ones included)
     * @param p99Millis    over the group's requests; NaN when never called
     * @param paths        the concrete path prefixes of the group ({@code /orders}, {@code /v2/orders})
     * @param failureRate  share of requests that failed (5xx, or 4xx other than 401, 403, 404, 429)
     * @param flagged      fails most of the time: not recommended, listed last
     * @param coupled      other candidate groups its sessions also call, tightest first (empty when unknown)
     */
    public record Candidate(String prefix, double score, List<Factor> factors, List<EndpointSummary> endpoints,
                            int templates, long requests, double trafficShare, double errorRate, double p99Millis,
                            double writeShare, String explanation, List<String> paths, double failureRate,
                            boolean flagged, List<Affinity.Coupled> coupled) {
        public Candidate {
            factors = List.copyOf(factors);
            endpoints = List.copyOf(endpoints);
            paths = List.copyOf(paths);
            coupled = List.copyOf(coupled);
        }
    }

    /** Ranks the unclaimed endpoints of a progress report, grouped the default way ({@link EndpointGrouping#of}). */
    public static List<Candidate> rank(Progress progress) {
        return rank(progress.unclaimed(), progress.totalRequests(), grouping(progress.unclaimed(), null), Affinity.NONE);
    }

    /**
     * @param unclaimed     the endpoints no route claims
     * @param totalRequests requests over all endpoints, claimed or not: the base of traffic shares
     * @param depth         literal segments after the common prefix that make a group, versions (v1, v2) not counted
     */
    public static List<Candidate> rank(List<EndpointSummary> unclaimed, long totalRequests, int depth) {
        return rank(unclaimed, totalRequests, grouping(unclaimed, depth), Affinity.NONE);
    }

    /** The grouping of these endpoints: at {@code depth}, or the default when null. */
    public static EndpointGrouping grouping(List<EndpointSummary> endpoints, Integer depth) {
        List<String> templates = endpoints.stream().map(e -> e.key().template()).toList();
        return depth == null ? EndpointGrouping.of(templates) : EndpointGrouping.of(templates, depth);
    }

    /**
     * @param grouping how endpoints form groups
     * @param affinity which groups the same sessions use together; {@link Affinity#NONE} when unknown
     */
    public static List<Candidate> rank(List<EndpointSummary> unclaimed, long totalRequests, EndpointGrouping grouping,
                                       Affinity affinity) {
        if (totalRequests < 0) throw new IllegalArgumentException("totalRequests: " + totalRequests + " (expected: >= 0)");
        Map<String, List<EndpointSummary>> groups = new TreeMap<>();
        Map<String, Set<String>> paths = new TreeMap<>();
        for (EndpointSummary e : unclaimed) {
            EndpointGrouping.Group g = grouping.groupOf(e.key().template());
            groups.computeIfAbsent(g.name(), k -> new ArrayList<>()).add(e);
            paths.computeIfAbsent(g.name(), k -> new TreeSet<>()).add(g.pathPrefix());
        }
        List<Candidate> out = new ArrayList<>(groups.size());
        groups.forEach((prefix, endpoints) -> out.add(candidate(prefix, endpoints, totalRequests, paths.get(prefix),
                affinity.coupledTo(prefix, groups.keySet(), TIGHT_COUPLING))));
        out.sort(Comparator.comparing(Candidate::flagged).thenComparing(Comparator.comparingDouble(Candidate::score).reversed())
                .thenComparing(Candidate::prefix));
        return out;
    }

    private static Candidate candidate(String prefix, List<EndpointSummary> endpoints, long totalRequests,
                                       Set<String> paths, List<Affinity.Coupled> coupled) {
        long requests = 0, errors = 0, writes = 0, failures = 0;
        int writeEndpoints = 0;
        LatencySketch latency = LatencySketch.empty();
        Set<String> templates = new TreeSet<>();
        Set<String> readMethods = new TreeSet<>(Comparator.comparingInt(List.of("GET", "HEAD", "OPTIONS")::indexOf));
        Set<String> writeMethods = new TreeSet<>();
        for (EndpointSummary e : endpoints) {
            requests += e.count();
            errors += e.statusClass(5);
            failures += failures(e);
            latency = latency.plus(e.latency());
            templates.add(e.key().template());
            String method = e.key().method();
            if (READS.contains(method)) {
                readMethods.add(method);
            } else {
                writes += e.count();
                writeEndpoints++;
                writeMethods.add(method);
            }
        }
        double trafficShare = totalRequests == 0 ? 0 : (double) requests / totalRequests;
        double errorRate = requests == 0 ? 0 : (double) errors / requests;
        double p99 = latency.quantileMillis(0.99);
        double writeShare = requests == 0 ? (double) writeEndpoints / endpoints.size() : (double) writes / requests;

        List<Factor> factors = List.of(
                factor("traffic", traffic(trafficShare), TRAFFIC_WEIGHT),
                factor("errors", clamp(1 - errorRate / 0.05), ERROR_WEIGHT),
                factor("latency", latency(p99), LATENCY_WEIGHT),
                factor("writes", clamp(1 - 2 * writeShare), WRITE_WEIGHT),
                factor("templates", clamp(1 - (templates.size() - 3) / 17.0), TEMPLATE_WEIGHT));
        double sum = 0;
        for (Factor f : factors) sum += f.points();
        double split = coupled.isEmpty() ? 0 : coupled.getFirst().share();
        sum -= COUPLING_PENALTY * split;
        double score = Math.round(Math.max(0, sum) * 10) / 10.0;
        double failureRate = requests == 0 ? 0 : (double) failures / requests;
        boolean flagged = failureRate * 100 >= FAILING_SHARE_PERCENT;

        String reads = writeShare == 0
                ? "read-only (100% " + String.join("/", readMethods.isEmpty() ? Set.of("GET") : readMethods) + ")"
                : String.format(Locale.ROOT, "%s writes (%s)", percent(writeShare), String.join(", ", writeMethods));
        String explanation = String.format(Locale.ROOT, "%s, %d endpoint%s, %s of traffic, %s errors, %s: %s",
                reads, endpoints.size(), endpoints.size() == 1 ? "" : "s", percent(trafficShare), percent(errorRate),
                Double.isNaN(p99) ? "latency unknown" : String.format(Locale.ROOT, "p99 %.0f ms", p99),
                verdict(score, factors, trafficShare, requests, failureRate, coupled))
                + alsoUnder(prefix, paths) + couplingWords(prefix, coupled);
        return new Candidate(prefix, score, factors, endpoints, templates.size(), requests, trafficShare, errorRate, p99,
                writeShare, explanation, List.copyOf(paths), failureRate, flagged, coupled);
    }

    /** Failed requests of an endpoint: 5xx, and 4xx other than those that say "not allowed", "not found" or "slow down". */
    static long failures(EndpointSummary e) {
        long n = 0;
        for (Map.Entry<Integer, Long> s : e.statusCodes().entrySet()) {
            int code = s.getKey();
            if (code / 100 == 5 || (code / 100 == 4 && code != 401 && code != 403 && code != 404 && code != 429))
                n += s.getValue();
        }
        return n;
    }

    /** Names the concrete path prefixes when the group spans versions: {@code ; paths /orders, /v2/orders}. */
    private static String alsoUnder(String prefix, Set<String> paths) {
        List<String> others = paths.stream().filter(p -> !p.equals(prefix)).toList();
        return others.isEmpty() ? "" : "; paths " + String.join(", ", paths);
    }

    private static String couplingWords(String prefix, List<Affinity.Coupled> coupled) {
        if (coupled.isEmpty()) return "";
        Affinity.Coupled top = coupled.getFirst();
        String more = coupled.size() == 1 ? "" : " (also coupled: " + String.join(", ", coupled.subList(1, coupled.size())
                .stream().map(c -> c.group() + " " + percent(c.share())).toList()) + ")";
        return String.format(Locale.ROOT, "; moving %s alone splits %s of its sessions, which also call %s%s",
                prefix, percent(top.share()), top.group(), more);
    }

    private static String verdict(double score, List<Factor> factors, double trafficShare, long requests,
                                  double failureRate, List<Affinity.Coupled> coupled) {
        if (failureRate * 100 >= FAILING_SHARE_PERCENT)
            return String.format(Locale.ROOT, "flagged, not recommended: fails %.0f%% of requests: "
                    + "fix or understand it before moving it", failureRate * 100);
        if (score >= 80) return "a small, safe slice";
        Factor weakest = factors.get(0);
        for (Factor f : factors) if (f.weight() - f.points() > weakest.weight() - weakest.points()) weakest = f;
        String why = switch (weakest.name()) {
            case "traffic" -> requests == 0 ? "never called"
                    : trafficShare > 0.10 ? "among the busiest parts of the API" : "too little traffic to learn from";
            case "errors" -> "it already fails often";
            case "latency" -> "it is slow";
            case "writes" -> "it writes data";
            default -> "many distinct endpoints";
        };
        if (!coupled.isEmpty() && COUPLING_PENALTY * coupled.getFirst().share() > weakest.weight() - weakest.points())
            why = "coupled to " + coupled.getFirst().group();
        String tone = score >= 60 ? "a reasonable pilot" : score >= 40 ? "possible, with care" : "a risky first move";
        return tone + " (held back: " + why + ")";
    }

    private static Factor factor(String name, double value, int weight) {
        return new Factor(name, value, weight, value * weight);
    }

    static double traffic(double share) {
        if (share <= 0) return 0;
        if (share < 0.01) return clamp(Math.log10(share / 0.0001) / 2);
        if (share <= 0.10) return 1;
        return clamp(1 - (share - 0.10) / 0.40);
    }

    static double latency(double p99Millis) {
        if (Double.isNaN(p99Millis)) return 0.5;
        if (p99Millis <= 100) return 1;
        return clamp(1 - Math.log(p99Millis / 100) / Math.log(20));
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static String percent(double share) {
        double p = share * 100;
        return String.format(Locale.ROOT, p != 0 && p < 0.1 ? "%.2f%%" : "%.1f%%", p);
    }
}
