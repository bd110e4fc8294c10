package dev.strangler.cli;

import dev.strangler.control.catalog.CatalogJson;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.openapi.OpenApiException;
import dev.strangler.control.openapi.OpenApiExport;
import dev.strangler.control.openapi.OpenApiImport;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.PilotRanking;
import dev.strangler.core.catalog.Progress;
import dev.strangler.core.catalog.RouteSuggestion;
import dev.strangler.core.config.GatewayConfig;
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

    @Option(names = "--depth", paramLabel = "N", defaultValue = "2",
            description = "Path segments that make an endpoint group in the ranking (default ${DEFAULT-VALUE}: /api/posts).")
    int depth;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Catalog rows in the table and Markdown forms, busiest first (default ${DEFAULT-VALUE}).")
    int limit;

    /** The catalog and the routes (at their runtime stages) it is judged against, and where they came from. */
    private record Inputs(String source, List<EndpointSummary> endpoints, List<Route> routes) {}

    @Override
    public Integer call() throws Exception {
        if (depth < 1 || depth > 10) throw new BadInputException("--depth: " + depth + " (expected: 1..10)");
        if (limit < 1) throw new BadInputException("--limit: " + limit + " (expected: at least 1)");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<GatewayConfig> file = configFile().map(ValidateCommand::load);
        Inputs inputs = accessLog != null ? fromAccessLog(file, err) : fromGatewayOrStore(file, err);
        List<EndpointSummary> endpoints = withDeclared(inputs.endpoints());

        if (suggestRoutes != null) {
            String prefix = suggestRoutes.startsWith("/") ? suggestRoutes : "/" + suggestRoutes;
            RouteSuggestion suggestion = RouteSuggestion.of(prefix, endpoints);
            if (suggestion.reads().isEmpty() && suggestion.writes().isEmpty())
                throw new BadInputException("--suggest-routes: no endpoint in the catalog starts with " + prefix
                        + " (see the ranking of `strangler analyze` for the groups)");
            out.print(suggestion.yaml());
            out.flush();
            return Main.OK;
        }
        if (format == Format.openapi) {
            out.print(OpenApiExport.write(endpoints, "Observed API (" + inputs.source() + ")"));
            out.flush();
            return Main.OK;
        }
        var routeOf = Progress.routesOf(inputs.routes());
        Progress progress = Progress.of(endpoints, routeOf);
        long total = endpoints.stream().mapToLong(EndpointSummary::count).sum();
        List<PilotRanking.Candidate> ranking = PilotRanking.rank(progress.unclaimed(), total, depth);
        AnalyzeReport report = new AnalyzeReport(inputs.source(), endpoints, routeOf, progress, ranking, limit);
        switch (format) {
            case json -> out.println(report.json().encodePrettily());
            case markdown -> out.print(report.markdown());
            default -> out.print(report.table());
        }
        out.flush();
        return Main.OK;
    }

    /** Reads a combined/common log; lines that are not in that format are counted, not fatal. */
    private Inputs fromAccessLog(Optional<GatewayConfig> file, PrintWriter err) throws IOException {
        AccessLogCatalog log = AccessLogCatalog.read(accessLog, "analyze", err);
        return new Inputs("access log " + accessLog + ", " + log.requests() + " requests", log.endpoints(),
                file.map(GatewayConfig::routes).orElse(List.of()));
    }

    /** {@code --config}, else {@code STRANGLER_CONFIG}, else {@code ./strangler.yaml} when there is one. */
    private Optional<Path> configFile() {
        if (config != null) return Optional.of(config);
        String named = System.getenv("STRANGLER_CONFIG");
        if (named != null && !named.isBlank()) return Optional.of(Path.of(named));
        Path local = Path.of(AdminTarget.DEFAULT_CONFIG);
        return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
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
            return new Inputs("gateway " + url, CatalogJson.endpoints(catalog), routesFrom(routes));
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
            return new Inputs("state store " + store.url(), store.catalog(), Migration.overlay(file, states).routes());
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
