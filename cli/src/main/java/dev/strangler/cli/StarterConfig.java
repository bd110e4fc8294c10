package dev.strangler.cli;

import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.PilotRanking;
import dev.strangler.core.catalog.RouteSuggestion;
import dev.strangler.core.config.Defaults;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The starter config {@code strangler init} writes: the monolith, one service and one route per
 * endpoint group (the groups and their order are {@link PilotRanking}'s, their names
 * {@link RouteSuggestion}'s), every route at stage {@code monolith}, and a comment on each key.
 *
 * <p>Written as text, not through a YAML mapper, because the comments are the point of the file and
 * no mapper writes them; every value that is not a plain name goes out double-quoted (JSON string
 * syntax, which YAML reads as is), and {@code init} loads the result through {@code ConfigLoader}
 * before writing it, so a file that does not validate is never written.
 *
 * @param from where the endpoints came from, for the header
 */
record StarterConfig(URI monolith, String from, List<Group> groups) {
    /** One endpoint group: a service and the route that will move it. */
    record Group(String name, String prefix, List<EndpointSummary> endpoints, String why) {}

    /** Placeholder address of a service not built yet: reserved, never resolves (RFC 2606). */
    static String placeholderUrl(String service) {
        return "http://" + service + ".invalid:8080";
    }

    static StarterConfig of(URI monolith, String from, List<PilotRanking.Candidate> candidates) {
        List<Group> groups = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (PilotRanking.Candidate c : candidates) {
            String base = RouteSuggestion.of(c.prefix(), c.endpoints()).service();
            if (base.equals("CHANGE-ME")) base = "root";
            String name = base;
            for (int n = 2; !taken.add(name); n++) name = base + "-" + n;
            groups.add(new Group(name, c.prefix(), c.endpoints(), c.explanation()));
        }
        return new StarterConfig(monolith, from, groups);
    }

    String yaml() {
        StringBuilder y = new StringBuilder();
        y.append("""
                # Strangler config written by `strangler init` from %s.
                # Every route starts at stage monolith: the monolith answers everything, as before, and
                # Strangler measures each route's traffic. Move a route on with `strangler promote ROUTE`
                # (monolith -> shadow -> canary -> live -> retired) once its service runs.
                # Check the file with `strangler validate --config FILE`; docs: README.md, "Config reference".

                # Where users' requests arrive (host:port).
                listen: %s
                # The admin API (health, metrics, the JSON API the CLI talks to). Keep it on loopback, or
                # set a token: the CLI reads both from this file (--config, or ./strangler.yaml).
                admin:
                  listen: %s
                  token: ${STRANGLER_ADMIN_TOKEN:-}
                # Where each route's stage and the audit log are kept: an H2 file for one gateway,
                # jdbc:postgresql://... for a fleet.
                store:
                  url: %s
                # The legacy backend: every request no route claims, and every route at monolith or shadow.
                monolith:
                  url: %s

                """.formatted(from, Defaults.LISTEN, Defaults.ADMIN_LISTEN, quote("jdbc:h2:file:./strangler-data/state"),
                quote(monolith.toString())));
        y.append("""
                # The new services, one per endpoint group below. Nothing is sent to a service while its
                # route is at monolith: replace each url with the service's address before moving it on.
                services:
                """);
        for (Group g : groups) {
            y.append("  ").append(g.name()).append(":\n");
            y.append("    url: ").append(quote(placeholderUrl(g.name()))).append("   # where the ").append(g.name())
                    .append(" service will run\n");
        }
        y.append("""

                # One route per endpoint group, the best first candidates for extraction first (as
                # `strangler analyze` ranks them: traffic, errors, latency, share of writes).
                #   match:   which requests the route claims (methods: [GET, HEAD] would take the reads only;
                #            take writes apart before shadow, since a shadowed write runs twice)
                #   service: who will answer once the route is past shadow
                #   stage:   monolith now; then shadow (a copy goes to the service, answers compared), canary, live
                routes:
                """);
        for (Group g : groups) {
            y.append("  # ").append(g.prefix()).append(": ").append(oneLine(g.why())).append('\n');
            for (EndpointSummary e : g.endpoints().stream().sorted((a, b) -> a.key().compareTo(b.key())).toList()) {
                y.append(String.format(Locale.ROOT, "  #   %-7s %s%s%n", e.key().method(), e.key().template(),
                        e.count() > 0 ? "  (" + e.count() + (e.count() == 1 ? " request)" : " requests)") : ""));
            }
            y.append("  - name: ").append(g.name()).append('\n');
            y.append("    match: { path: ").append(quote((g.prefix().equals("/") ? "" : g.prefix()) + "/**")).append(" }\n");
            y.append("    service: ").append(g.name()).append('\n');
            y.append("    stage: monolith\n");
        }
        if (groups.isEmpty()) y.append("  []\n");
        return y.toString();
    }

    private static String oneLine(String text) {
        String t = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return t.length() <= 110 ? t : t.substring(0, 109) + "…";
    }

    /** A YAML double-quoted scalar (JSON string syntax). */
    static String quote(String value) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else q.append(c);
                }
            }
        }
        return q.append('"').toString();
    }
}
