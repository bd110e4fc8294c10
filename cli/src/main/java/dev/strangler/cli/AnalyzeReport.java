package dev.strangler.cli;

import dev.strangler.control.catalog.CatalogJson;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.PilotRanking;
import dev.strangler.core.catalog.Progress;
import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.coupling.AffinityClusters;
import dev.strangler.core.coupling.SessionAffinity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What {@code strangler analyze} prints: the endpoint catalog, migration progress and the pilot
 * ranking, as a readable table, Markdown or JSON. Pure functions of their inputs.
 *
 * @param source   where the catalog came from, for the header (a gateway, a store, an access log)
 * @param routeOf  the route that claims an endpoint now, with its current stage: the ROUTE and STAGE
 *                 columns and {@link Progress} read the same, not the stage of the endpoint's last request
 * @param limit    catalog rows shown in the table and Markdown forms (busiest first); JSON has all
 * @param coupling the coupling matrix when asked for ({@code --coupling})
 */
record AnalyzeReport(String source, List<EndpointSummary> endpoints, Function<EndpointKey, Optional<Progress.RouteInfo>> routeOf,
                     Progress progress, List<PilotRanking.Candidate> ranking, int limit, Optional<Affinity> coupling) {

    AnalyzeReport(String source, List<EndpointSummary> endpoints, Function<EndpointKey, Optional<Progress.RouteInfo>> routeOf,
                  Progress progress, List<PilotRanking.Candidate> ranking, int limit) {
        this(source, endpoints, routeOf, progress, ranking, limit, Optional.empty());
    }

    private static final List<Progress.Bucket> BUCKETS = List.of(Progress.Bucket.UNCLAIMED, Progress.Bucket.MONOLITH,
            Progress.Bucket.SHADOW, Progress.Bucket.CANARY, Progress.Bucket.LIVE, Progress.Bucket.RETIRED);

    private String route(EndpointSummary e) {
        return routeOf.apply(e.key()).map(Progress.RouteInfo::route).orElse("-");
    }

    private String stage(EndpointSummary e) {
        return routeOf.apply(e.key()).map(r -> r.stage().configName()).orElse("-");
    }

    String table() {
        StringBuilder out = new StringBuilder();
        long requests = endpoints.stream().mapToLong(EndpointSummary::count).sum();
        out.append(String.format(Locale.ROOT, "Endpoint catalog: %d endpoints, %d requests (%s)%n", endpoints.size(), requests, source));
        TextTable catalog = new TextTable("METHOD", "TEMPLATE", ">REQUESTS", ">2XX", ">4XX", ">5XX", ">ERR%", ">P50 MS",
                ">P99 MS", "ROUTE", "STAGE", "LAST SEEN");
        List<EndpointSummary> busiest = busiest();
        for (EndpointSummary e : busiest) {
            catalog.row(e.key().method(), e.key().template(), Long.toString(e.count()), Long.toString(e.statusClass(2)),
                    Long.toString(e.statusClass(4)), Long.toString(e.statusClass(5)), e.count() == 0 ? "-" : pct(e.errorRate()),
                    ms(e.latency().quantileMillis(0.5)), ms(e.latency().quantileMillis(0.99)), route(e), stage(e),
                    e.lastSeen().map(Instant::toString).orElse(e.declared() ? "never (declared)" : "-"));
        }
        out.append(catalog.render()).append('\n');
        if (busiest.size() < endpoints.size())
            out.append(String.format(Locale.ROOT, "(%d more; --limit to show them, --format json for all)%n", endpoints.size() - busiest.size()));

        out.append(String.format(Locale.ROOT, "%nProgress%n"));
        TextTable stages = new TextTable("STAGE", ">ENDPOINTS", ">%", ">REQUESTS", ">%", ">BYTES", ">%");
        for (Progress.Bucket b : BUCKETS) {
            Progress.Share s = progress.share(b);
            stages.row(b.name().toLowerCase(Locale.ROOT), Long.toString(s.endpoints()), pct(s.endpointShare()),
                    Long.toString(s.requests()), pct(s.requestShare()), Long.toString(s.bytes()), pct(s.byteShare()));
        }
        out.append(stages.render()).append('\n');
        Progress.Share migrated = progress.migrated();
        out.append(String.format(Locale.ROOT, "Migrated (live + retired): %s of endpoints, %s of requests, %s of bytes; "
                        + "%d endpoint%s no route claims yet.%n", pct(migrated.endpointShare()), pct(migrated.requestShare()),
                pct(migrated.byteShare()), progress.unclaimed().size(), progress.unclaimed().size() == 1 ? "" : "s"));
        junkLine(out);

        out.append(String.format(Locale.ROOT, "%nPilot ranking (endpoint groups no route claims yet, best first)%n"));
        if (ranking.isEmpty()) {
            out.append("(none: every endpoint seen is claimed by a route)\n");
        } else {
            TextTable pilots = new TextTable(">RANK", "PREFIX", ">SCORE", ">ENDPOINTS", ">TRAFFIC", ">ERR%", ">P99 MS", ">WRITES");
            int rank = 1;
            for (PilotRanking.Candidate c : ranking) {
                pilots.row(Integer.toString(rank++), c.prefix(), String.format(Locale.ROOT, "%.0f", c.score()),
                        Integer.toString(c.endpoints().size()), pct(c.trafficShare()), pct(c.errorRate()), ms(c.p99Millis()),
                        pct(c.writeShare()));
                pilots.note(c.explanation());
            }
            out.append(pilots.render()).append('\n');
            out.append("Suggest routes for one: strangler analyze --suggest-routes ").append(ranking.getFirst().prefix()).append('\n');
        }
        couplingSection(out, false);
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Endpoint catalog\n\n").append("Source: ").append(source).append(". ")
                .append(endpoints.size()).append(" endpoints.\n\n");
        out.append("| method | template | requests | 2xx | 4xx | 5xx | errors | p50 ms | p99 ms | route | stage | last seen |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        for (EndpointSummary e : busiest()) {
            out.append(String.format(Locale.ROOT, "| %s | `%s` | %d | %d | %d | %d | %s | %s | %s | %s | %s | %s |%n",
                    e.key().method(), e.key().template(), e.count(), e.statusClass(2), e.statusClass(4), e.statusClass(5),
                    e.count() == 0 ? "-" : pct(e.errorRate()), ms(e.latency().quantileMillis(0.5)),
                    ms(e.latency().quantileMillis(0.99)), route(e), stage(e),
                    e.lastSeen().map(Instant::toString).orElse(e.declared() ? "never (declared)" : "-")));
        }
        out.append("\n## Progress\n\n| stage | endpoints | % | requests | % | bytes | % |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Progress.Bucket b : BUCKETS) {
            Progress.Share s = progress.share(b);
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | %d | %s |%n", b.name().toLowerCase(Locale.ROOT),
                    s.endpoints(), pct(s.endpointShare()), s.requests(), pct(s.requestShare()), s.bytes(), pct(s.byteShare())));
        }
        Progress.Share migrated = progress.migrated();
        out.append(String.format(Locale.ROOT, "%n**Migrated** (live + retired): %s of endpoints, %s of requests, %s of bytes.%n",
                pct(migrated.endpointShare()), pct(migrated.requestShare()), pct(migrated.byteShare())));
        if (progress.junk().endpoints() > 0) {
            out.append('\n');
            junkLine(out);
        }
        out.append("\n## Pilot ranking\n\n| rank | prefix | score | why |\n|---:|---|---:|---|\n");
        int rank = 1;
        for (PilotRanking.Candidate c : ranking) {
            out.append(String.format(Locale.ROOT, "| %d | `%s` | %.0f | %s |%n", rank++, c.prefix(), c.score(), c.explanation()));
        }
        couplingSection(out, true);
        return out.toString();
    }

    JsonObject json() {
        JsonObject stages = new JsonObject();
        for (Progress.Bucket b : BUCKETS) {
            Progress.Share s = progress.share(b);
            stages.put(b.name().toLowerCase(Locale.ROOT), new JsonObject().put("endpoints", s.endpoints())
                    .put("endpointShare", s.endpointShare()).put("requests", s.requests()).put("requestShare", s.requestShare())
                    .put("bytes", s.bytes()).put("byteShare", s.byteShare()));
        }
        Progress.Share m = progress.migrated();
        return new JsonObject()
                .put("source", source)
                .put("endpoints", new JsonArray(endpoints.stream().map(CatalogJson::endpoint).toList()))
                .put("progress", new JsonObject().put("stages", stages)
                        .put("migrated", new JsonObject().put("endpointShare", m.endpointShare())
                                .put("requestShare", m.requestShare()).put("byteShare", m.byteShare()))
                        .put("unclaimed", new JsonArray(progress.unclaimed().stream().map(e -> e.key().toString()).toList()))
                        .put("junk", CatalogJson.junk(progress.junk())))
                .put("ranking", new JsonArray(ranking.stream().map(c -> new JsonObject()
                        .put("prefix", c.prefix()).put("score", c.score()).put("templates", c.templates())
                        .put("requests", c.requests()).put("trafficShare", c.trafficShare()).put("errorRate", c.errorRate())
                        .put("p99Ms", Double.isFinite(c.p99Millis()) ? c.p99Millis() : null).put("writeShare", c.writeShare())
                        .put("explanation", c.explanation())
                        .put("flagged", c.flagged()).put("failureRate", c.failureRate()).put("paths", new JsonArray(c.paths()))
                        .put("coupled", new JsonArray(c.coupled().stream().map(k -> new JsonObject().put("group", k.group())
                                .put("share", k.share()).put("sessions", k.sessions())).toList()))).toList()))
                .put("coupling", coupling.map(AnalyzeReport::couplingJson).orElse(null));
    }

    /**
     * For each candidate, the groups its sessions also use (share of its sessions, tightest first),
     * then the clusters of groups used together. Nothing without {@code --coupling}.
     */
    private void couplingSection(StringBuilder out, boolean markdown) {
        if (coupling.isEmpty()) return;
        Affinity a = coupling.get();
        out.append(markdown ? "\n## Coupling\n\n" : String.format(Locale.ROOT, "%nCoupling%n"));
        if (a.isEmpty()) {
            out.append("No client sessions recorded yet: coupling needs requests that carry a client key (a route's sticky "
                    + "header or cookie, a session cookie such as JSESSIONID, or a traceparent), or an access log.\n");
            return;
        }
        out.append(String.format(Locale.ROOT, "%,d client sessions (one client key, requests at most %d min apart).%s%n",
                a.sessions(), SessionAffinity.DEFAULT_IDLE.toMinutes(), markdown ? "\n" : ""));
        for (PilotRanking.Candidate c : ranking) {
            long sessions = a.sessionsWith(c.prefix());
            List<Affinity.Coupled> coupled = a.coupledTo(c.prefix(), a.groups().keySet(), COUPLING_SHOWN);
            String line;
            if (sessions == 0) {
                line = c.prefix() + ": no sessions seen";
            } else if (coupled.isEmpty()) {
                line = String.format(Locale.ROOT, "%s (%,d sessions): moves alone; under %s of its sessions use any other group",
                        c.prefix(), sessions, pct(COUPLING_SHOWN));
            } else {
                Affinity.Coupled top = coupled.getFirst();
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                        "%s (%,d sessions): moving %s alone splits %s of its sessions, which also call %s", c.prefix(), sessions,
                        c.prefix(), pct(top.share()), top.group()));
                for (Affinity.Coupled k : coupled.subList(1, coupled.size()))
                    b.append(String.format(Locale.ROOT, "; %s also call %s", pct(k.share()), k.group()));
                line = b.toString();
            }
            out.append(markdown ? "- " : "  ").append(line).append('\n');
        }
        List<List<String>> together = AffinityClusters.of(a, AffinityClusters.DEFAULT_MIN_SIMILARITY).stream()
                .filter(cluster -> cluster.size() > 1).toList();
        if (!together.isEmpty()) {
            out.append(markdown ? "\nGroups used together (consider moving each set as one): " : "Used together (consider moving each set as one): ")
                    .append(String.join("; ", together.stream().map(cl -> String.join(" + ", cl)).toList())).append('\n');
        }
    }

    /** Groups coupled to a candidate by at least this share of its sessions are listed. */
    static final double COUPLING_SHOWN = 0.10;

    private static JsonObject couplingJson(Affinity a) {
        return CatalogJson.coupling(a).put("clusters", new JsonArray(AffinityClusters.of(a, AffinityClusters.DEFAULT_MIN_SIMILARITY)
                .stream().map(JsonArray::new).toList()));
    }

    /** The endpoints kept out of progress and ranking, so a reader knows they were seen and not counted. */
    private void junkLine(StringBuilder out) {
        Progress.Junk junk = progress.junk();
        if (junk.endpoints() == 0) return;
        out.append(String.format(Locale.ROOT, "Junk, kept out of progress and ranking (only ever answered 4xx): %d endpoint%s, "
                        + "%d request%s, e.g. %s%n", junk.endpoints(), junk.endpoints() == 1 ? "" : "s", junk.requests(),
                junk.requests() == 1 ? "" : "s", String.join(", ", junk.examples().stream().limit(3)
                        .map(k -> k.method() + " " + k.template()).toList())));
    }

    private List<EndpointSummary> busiest() {
        return endpoints.stream()
                .sorted(Comparator.comparingLong(EndpointSummary::count).reversed().thenComparing(EndpointSummary::key))
                .limit(limit).toList();
    }

    private static String pct(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", 100 * share) : "-";
    }

    private static String ms(double millis) {
        return Double.isFinite(millis) ? String.format(Locale.ROOT, "%.1f", millis) : "-";
    }
}
