package dev.strangler.cli;

import dev.strangler.control.catalog.CatalogJson;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.openapi.OpenApiException;
import dev.strangler.control.openapi.OpenApiExport;
import dev.strangler.control.openapi.OpenApiImport;
import dev.strangler.core.catalog.AccessLogLine;
import dev.strangler.core.catalog.Catalog;
import dev.strangler.core.catalog.EndpointGrouping;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointReconciler;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.PilotRanking;
import dev.strangler.core.catalog.Progress;
import dev.strangler.core.catalog.RouteSuggestion;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.coupling.SessionAffinity;
import dev.strangler.core.plan.Position;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoreException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Show the monolith's endpoints, migration progress and the best pilot candidates.",
                "The endpoint catalog (method + path template, traffic, errors, latency, sizes, which route serves it),",
                "the share of endpoints, requests and bytes by stage, and a ranking of unclaimed endpoint groups for a",
                "first, low-risk extraction. Reads a running gateway (--admin, or the admin address in --config),",
                "else the state store named in --config, or an existing access log of the monolith (--access-log)."})
final class AnalyzeCommand implements Callable<Integer> {
    enum Format { table, json, markdown, openapi }

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The gateway's config: its routes, its admin address and token, and its state store "
                    + "(read directly when the gateway is not running).")
    Path config;

    @Option(names = "--admin", paramLabel = "URL",
            description = "Admin API base URL of a running gateway (env STRANGLER_ADMIN; else admin.listen in --config, "
                    + "STRANGLER_CONFIG or ./strangler.yaml; default http://127.0.0.1:9090).")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:STRANGLER_ADMIN_TOKEN}",
            description = "Admin token (env STRANGLER_ADMIN_TOKEN; default: from --config).")
    String token;

    @Option(names = "--access-log", paramLabel = "FILE",
            description = "Analyze an access log of the monolith (common or combined log format) instead: "
                    + "no gateway needed.")
    Path accessLog;

    @Option(names = "--openapi", paramLabel = "FILE",
            description = "The monolith's OpenAPI 3 document: its endpoints join the catalog, so those never called show up.")
    Path openapi;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json, markdown, or openapi (the observed catalog as an OpenAPI 3 document).")
    Format format;

    @Option(names = "--suggest-routes", paramLabel = "PREFIX",
            description = "Print a ready-to-paste routes: block for the endpoint group under PREFIX (e.g. /api/posts).")
    String suggestRoutes;

    @Option(names = "--depth", paramLabel = "N",
            description = "Path segments after the prefix all paths share (a context path such as /shop/api) that make "
                    + "an endpoint group in the ranking; versions (v1, v2) are not counted. Default: 1 when paths share "
                    + "a prefix, else 2 (/api/posts).")
    Integer depth;

    @Option(names = "--coupling",
            description = "Show which endpoint groups the same client sessions use together, and let the ranking hold back "
                    + "a group that moving alone would split sessions of. Sessions come from the gateway (a sticky header "
                    + "or cookie, a session cookie or a traceparent; summed over the fleet in the store), or from the "
                    + "client address in an access log.")
    boolean coupling;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Catalog rows in the table and Markdown forms, busiest first (default ${DEFAULT-VALUE}).")
    int limit;

    /**
     * The catalog and the routes (at their runtime stages) it is judged against, and where they came from.
     *
     * @param coupling the coupling matrix, with groups named by the grouping given (only an access log needs it)
     */
    private record Inputs(String source, List<EndpointSummary> endpoints, List<Route> routes,
                          Function<EndpointGrouping, Affinity> coupling) {}

    @Override
    public Integer call() throws Exception {
        if (depth != null && (depth < 1 || depth > 10)) throw new BadInputException("--depth: " + depth + " (expected: 1..10)");
        if (limit < 1) throw new BadInputException("--limit: " + limit + " (expected: at least 1)");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<GatewayConfig> file = ConfigFile.find(config).map(ValidateCommand::load);
        Inputs inputs = accessLog != null ? fromAccessLog(file, err) : fromGatewayOrStore(file, err);
        List<EndpointSummary> endpoints = EndpointReconciler.reconcile(withDeclared(inputs.endpoints()));

        if (suggestRoutes != null) {
            String prefix = suggestRoutes.startsWith("/") ? suggestRoutes : "/" + suggestRoutes;
            return suggest(prefix, endpoints, inputs.routes(), out);
        }
        if (format == Format.openapi) {
            out.print(OpenApiExport.write(endpoints, "Observed API (" + inputs.source() + ")"));
            out.flush();
            return Main.OK;
        }
        var routeOf = Progress.routesOf(inputs.routes());
        Progress progress = Progress.of(endpoints, routeOf);
        EndpointGrouping grouping = grouping(endpoints);
        Optional<Affinity> affinity = coupling ? Optional.of(inputs.coupling().apply(grouping)) : Optional.empty();
        List<PilotRanking.Candidate> ranking = PilotRanking.rank(progress.unclaimed(), progress.totalRequests(), grouping,
                affinity.orElse(Affinity.NONE));
        AnalyzeReport report = new AnalyzeReport(inputs.source(), endpoints, routeOf, progress, ranking, limit, affinity);
        switch (format) {
            case json -> out.println(report.json().encodePrettily());
            case markdown -> out.print(report.markdown());
            default -> out.print(report.table());
        }
        out.flush();
        return Main.OK;
    }

    /**
     * The routes: block for one group, knowing the routes in force (from the running gateway, the
     * store or the config): endpoints they claim are left out and no suggested route ties with one.
     */
    private static int suggest(String prefix, List<EndpointSummary> endpoints, List<Route> inForce, PrintWriter out) {
        RouteSuggestion suggestion = RouteSuggestion.of(prefix, endpoints, inForce);
        if (suggestion.reads().isEmpty() && suggestion.writes().isEmpty() && suggestion.claimed().isEmpty())
            throw new BadInputException("--suggest-routes: no endpoint in the catalog starts with " + prefix
                    + " (see the ranking of `strangler analyze` for the groups)");
        out.print(suggestion.yaml());
        out.flush();
        return Main.OK;
    }

    /**
     * Groups over every endpoint that is not junk, claimed or not, so that a route taking some of
     * them does not rename the others' groups (and the names match the gateway's coupling).
     */
    private EndpointGrouping grouping(List<EndpointSummary> endpoints) {
        return PilotRanking.grouping(endpoints.stream().filter(e -> !Progress.Junk.isJunk(e)).toList(), depth);
    }

    /**
     * The coupling in an access log: sessions by client address (all a log has; behind a NAT many
     * users look like one, which overstates coupling), an idle gap of {@link SessionAffinity#DEFAULT_IDLE}.
     * A second pass over the file, once the catalog knows the templates.
     */
    private Affinity accessLogCoupling(Catalog catalog, EndpointGrouping grouping) {
        SessionAffinity sessions = new SessionAffinity();
        try (BufferedReader reader = Files.newBufferedReader(accessLog, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                Optional<AccessLogLine> parsed = AccessLogLine.parse(line);
                if (parsed.isEmpty() || parsed.get().status() / 100 == 4) continue;
                AccessLogLine l = parsed.get();
                sessions.record(l.client(), grouping.groupOf(catalog.templater().resolve(l.path())).name(), l.time().toEpochMilli());
            }
        } catch (IOException e) {
            throw new BadInputException("--access-log: " + accessLog + ": " + e.getMessage());
        }
        return sessions.snapshot();
    }

    /** Reads a combined/common log; lines that are not in that format are counted, not fatal. */
    private Inputs fromAccessLog(Optional<GatewayConfig> file, PrintWriter err) throws IOException {
        AccessLogCatalog log = AccessLogCatalog.read(accessLog, "analyze", err);
        return new Inputs("access log " + accessLog + ", " + log.requests() + " requests", log.endpoints(),
                file.map(GatewayConfig::routes).orElse(List.of()), grouping -> accessLogCoupling(log.catalog(), grouping));
    }

    /** A running gateway's admin API; with --config and no gateway answering, the state store itself. */
    private Inputs fromGatewayOrStore(Optional<GatewayConfig> file, PrintWriter err) throws InterruptedException {
        // As every command that talks to a gateway (AdminTarget): flag, then environment, then the file.
        String env = System.getenv("STRANGLER_ADMIN");
        String url = admin != null ? admin : env != null && !env.isBlank() ? env
                : file.map(c -> "http://" + AdminTarget.reachable(c.admin().listen())).orElse(AdminTarget.DEFAULT_ADMIN);
        String key = token != null ? token : file.flatMap(c -> c.admin().token()).orElse(null);
        AdminClient client = AdminClient.of(url, key);
        try {
            // The catalog's reader is Vert.x JSON (shared with the admin server); analyze loads Vert.x anyway.
            JsonObject catalog = new JsonObject(client.getObject("/api/catalog").encode());
            JsonArray routes = new JsonArray(client.getArray("/api/routes").encode());
            Affinity affinity = CatalogJson.coupling(catalog);
            return new Inputs("gateway " + url, CatalogJson.endpoints(catalog), routesFrom(routes), grouping -> affinity);
        } catch (AdminApiException.Unreachable unreachable) {
            if (file.isEmpty()) throw new AdminApiException.Unreachable(unreachable.getMessage()
                    + "; or pass --config FILE to read the gateway's state store, or --access-log FILE to analyze a log");
            err.println("analyze: no gateway answers at " + url + "; reading the state store " + file.get().storeUrlRedacted());
            return fromStore(file.get());
        }
    }

    private static Inputs fromStore(GatewayConfig file) {
        try (StateStore store = StateStore.open(file.storeUrl())) {
            Map<String, RouteState> states = new LinkedHashMap<>();
            store.routeStates().forEach(s -> states.put(s.route(), s));
            Affinity affinity = store.coupling();
            return new Inputs("state store " + store.url(), store.catalog(), Migration.overlay(file, states).routes(),
                    grouping -> affinity);
        } catch (StoreException e) {
            throw new AdminApiException(Main.FAILED, "cannot read the state store: " + e.getMessage());
        }
    }

    /** The routes as the gateway serves them now (runtime stages), rebuilt from {@code /api/routes}. */
    static List<Route> routesFrom(JsonArray routes) {
        List<Route> out = new ArrayList<>();
        for (Object o : routes) {
            JsonObject r = (JsonObject) o;
            try {
                RouteMatch match = RouteMatch.path(r.getString("path"));
                JsonArray methods = r.getJsonArray("methods", new JsonArray());
                if (!methods.isEmpty()) match = match.withMethods(methods.stream().map(Object::toString).toArray(String[]::new));
                String stage = r.getString("stage");
                Position at = "canary".equals(stage) ? Position.canary(r.getDouble("percent", 0.0))
                        : Position.parse(stage).orElse(Position.MONOLITH);
                out.add(Route.of(r.getString("name"), match, r.getString("service", "service")).at(at));
            } catch (RuntimeException e) {
                // A route this version cannot read back counts as not claiming anything; the catalog still shows.
            }
        }
        return out;
    }

    private List<EndpointSummary> withDeclared(List<EndpointSummary> endpoints) {
        if (openapi == null) return endpoints;
        List<EndpointKey> declared;
        try {
            declared = OpenApiImport.read(openapi);
        } catch (OpenApiException e) {
            throw new BadInputException("--openapi: " + e.getMessage());
        }
        Map<EndpointKey, EndpointSummary> byKey = new LinkedHashMap<>();
        endpoints.forEach(e -> byKey.put(e.key(), e));
        for (EndpointKey k : declared) byKey.merge(k, EndpointSummary.declaredOnly(k), EndpointSummary::plus);
        return byKey.values().stream().sorted(java.util.Comparator.comparing(EndpointSummary::key)).toList();
    }
}
