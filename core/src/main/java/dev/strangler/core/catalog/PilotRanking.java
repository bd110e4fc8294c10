package dev.strangler.core.catalog;

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
 * Ranked by score, best first, then by prefix, so the ranking is deterministic.
 */
public final class PilotRanking {
    public static final int DEFAULT_DEPTH = 2;
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
     */
    public record Candidate(String prefix, double score, List<Factor> factors, List<EndpointSummary> endpoints,
                            int templates, long requests, double trafficShare, double errorRate, double p99Millis,
                            double writeShare, String explanation) {
        public Candidate {
            factors = List.copyOf(factors);
            endpoints = List.copyOf(endpoints);
        }
    }

    /** Ranks the unclaimed endpoints of a progress report, grouped by {@value #DEFAULT_DEPTH} leading literals. */
    public static List<Candidate> rank(Progress progress) {
        return rank(progress.unclaimed(), progress.totalRequests(), DEFAULT_DEPTH);
    }

    /**
     * @param unclaimed     the endpoints no route claims
     * @param totalRequests requests over all endpoints, claimed or not: the base of traffic shares
     * @param depth         leading literal segments that make a group, versions (v1, v2) not counted
     */
    public static List<Candidate> rank(List<EndpointSummary> unclaimed, long totalRequests, int depth) {
        if (depth < 1) throw new IllegalArgumentException("depth: " + depth + " (expected: >= 1)");
        if (totalRequests < 0) throw new IllegalArgumentException("totalRequests: " + totalRequests + " (expected: >= 0)");
        Map<String, List<EndpointSummary>> groups = new TreeMap<>();
        for (EndpointSummary e : unclaimed)
            groups.computeIfAbsent(TemplatePath.prefix(e.key().template(), depth), k -> new ArrayList<>()).add(e);
        List<Candidate> out = new ArrayList<>(groups.size());
        groups.forEach((prefix, endpoints) -> out.add(candidate(prefix, endpoints, totalRequests)));
        out.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::prefix));
        return out;
    }

    private static Candidate candidate(String prefix, List<EndpointSummary> endpoints, long totalRequests) {
        long requests = 0, errors = 0, writes = 0;
        int writeEndpoints = 0;
        LatencySketch latency = LatencySketch.empty();
        Set<String> templates = new TreeSet<>();
        Set<String> readMethods = new TreeSet<>(Comparator.comparingInt(List.of("GET", "HEAD", "OPTIONS")::indexOf));
        Set<String> writeMethods = new TreeSet<>();
        for (EndpointSummary e : endpoints) {
            requests += e.count();
            errors += e.statusClass(5);
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
        double score = Math.round(sum * 10) / 10.0;

        String reads = writeShare == 0
                ? "read-only (100% " + String.join("/", readMethods.isEmpty() ? Set.of("GET") : readMethods) + ")"
                : String.format(Locale.ROOT, "%s writes (%s)", percent(writeShare), String.join(", ", writeMethods));
        String explanation = String.format(Locale.ROOT, "%s, %d endpoint%s, %s of traffic, %s errors, %s: %s",
                reads, endpoints.size(), endpoints.size() == 1 ? "" : "s", percent(trafficShare), percent(errorRate),
                Double.isNaN(p99) ? "latency unknown" : String.format(Locale.ROOT, "p99 %.0f ms", p99),
                verdict(score, factors, trafficShare, requests));
        return new Candidate(prefix, score, factors, endpoints, templates.size(), requests, trafficShare, errorRate, p99,
                writeShare, explanation);
    }

    private static String verdict(double score, List<Factor> factors, double trafficShare, long requests) {
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
