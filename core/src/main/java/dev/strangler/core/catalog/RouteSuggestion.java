package dev.strangler.core.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A ready-to-paste {@code routes:} block for one group of endpoints ({@code /api/posts}): a route
 * for the reads, to start in {@code shadow}, and, when the group has writes, a second route for
 * them that stays in {@code monolith} until the reads are live. Writes are kept apart because a
 * shadowed write would run twice; the usual order is to move reads first.
 *
 * @param service the service name the routes point at, derived from the prefix ({@code /api/posts} → {@code posts})
 * @param reads   GET, HEAD and OPTIONS endpoints under the prefix
 * @param writes  the other endpoints under the prefix
 */
public record RouteSuggestion(String prefix, String service, List<EndpointSummary> reads, List<EndpointSummary> writes) {
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    public RouteSuggestion {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(service, "service");
        reads = List.copyOf(reads);
        writes = List.copyOf(writes);
    }

    /** The suggestion for the endpoints under {@code prefix} (segment by segment). */
    public static RouteSuggestion of(String prefix, List<EndpointSummary> catalog) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.startsWith("/")) throw new IllegalArgumentException("prefix: " + prefix + " (expected: starting with /)");
        List<EndpointSummary> reads = new ArrayList<>();
        List<EndpointSummary> writes = new ArrayList<>();
        for (EndpointSummary e : catalog) {
            // OTHER stands for methods outside the registry, which no route can name
            if (!TemplatePath.isUnder(e.key().template(), prefix) || e.key().method().equals("OTHER")) continue;
            (READS.contains(e.key().method()) ? reads : writes).add(e);
        }
        return new RouteSuggestion(normalized(prefix), serviceName(prefix), reads, writes);
    }

    /** The YAML: a comment header listing the endpoints covered, then the {@code routes:} block. */
    public String yaml() {
        String path = (prefix.equals("/") ? "" : prefix) + "/**";
        StringBuilder b = new StringBuilder();
        b.append("# Routes for ").append(prefix).append(": ").append(reads.size() + writes.size())
                .append(" endpoint(s) seen\n");
        for (EndpointSummary e : sorted()) b.append(String.format(Locale.ROOT, "#   %-7s %s  (%,d requests)%n",
                e.key().method(), e.key().template(), e.count()));
        b.append("# Point 'service' at the new service (declared under services:).\n");
        b.append("routes:\n");
        b.append("  - name: ").append(service).append("-read\n");
        b.append("    match: { methods: [").append(String.join(", ", readMethods())).append("], path: ").append(path).append(" }\n");
        b.append("    service: ").append(service).append('\n');
        b.append("    stage: shadow\n");
        if (!writes.isEmpty()) {
            b.append("  # Writes stay with the monolith; move them once ").append(service).append("-read is live.\n");
            b.append("  - name: ").append(service).append("-write\n");
            b.append("    match: { methods: [").append(String.join(", ", writeMethods())).append("], path: ").append(path).append(" }\n");
            b.append("    service: ").append(service).append('\n');
            b.append("    stage: monolith\n");
        }
        return b.toString();
    }

    private List<EndpointSummary> sorted() {
        List<EndpointSummary> all = new ArrayList<>(reads);
        all.addAll(writes);
        all.sort((a, b) -> a.key().compareTo(b.key()));
        return all;
    }

    private List<String> readMethods() {
        Set<String> methods = new TreeSet<>(List.of("GET", "HEAD"));
        for (EndpointSummary e : reads) methods.add(e.key().method());
        return List.copyOf(methods);
    }

    private List<String> writeMethods() {
        Set<String> methods = new TreeSet<>();
        for (EndpointSummary e : writes) methods.add(e.key().method());
        return List.copyOf(methods);
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
