package dev.strangler.core.config;

import dev.strangler.core.config.YamlTree.Entry;
import dev.strangler.core.config.YamlTree.ListNode;
import dev.strangler.core.config.YamlTree.MapNode;
import dev.strangler.core.config.YamlTree.Node;
import dev.strangler.core.config.YamlTree.Scalar;
import dev.strangler.core.rewrite.HeaderRules;
import dev.strangler.core.rewrite.HostHeader;
import dev.strangler.core.rewrite.PathRewrite;
import dev.strangler.core.routing.PathPattern;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteConflict;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.routing.RouteTable;
import dev.strangler.core.stage.FallbackPolicy;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyKey;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.plan.PromotionPlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static dev.strangler.core.config.ConfigFields.HOST;
import static dev.strangler.core.config.ConfigFields.NAME;
import static dev.strangler.core.config.ConfigFields.TOKEN;
import static dev.strangler.core.config.ConfigFields.entry;
import static dev.strangler.core.config.ConfigFields.lineOf;
import static dev.strangler.core.config.ConfigFields.ordered;
import static dev.strangler.core.config.ConfigFields.suggestion;

/**
 * The {@code routes} list: each route's name, {@code match}, service, stage, percent, sticky key, fallback,
 * rewrite, {@code request-headers} and host header; its {@code shadow} settings and promotion plan are read by
 * {@link ShadowSection} and {@link PlanSection}. A route with any problem is left out, and routes that tie
 * on a request are reported on the second one.
 */
final class RouteSections {
    private static final Set<String> ROUTE_KEYS = ordered("name", "match", "service", "stage", "percent", "sticky",
            "fallback", "rewrite", "request-headers", "host-header", "shadow", "automate", "steps", "gates");
    private static final Set<String> MATCH_KEYS = ordered("methods", "path", "host", "headers");

    private final ConfigFields fields;
    private final ShadowSection shadows;
    private final PlanSection plans;

    RouteSections(ConfigFields fields) {
        this.fields = fields;
        this.shadows = new ShadowSection(fields);
        this.plans = new PlanSection(fields);
    }

    List<Route> routes(MapNode top, Map<String, Backend> services) {
        Optional<Entry> entry = entry(top, "routes");
        if (entry.isEmpty() || entry.get().value() instanceof Scalar s && s.text() == null) return List.of();
        if (!(entry.get().value() instanceof ListNode list)) {
            fields.error(entry.get().line(), "routes", "expected a list of routes (each starting with '- name: ...'), found "
                    + entry.get().value().kind());
            return List.of();
        }
        List<Route> routes = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> routeFields = new ArrayList<>();
        Map<String, Integer> names = new TreeMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String field = "routes[" + i + "]";
            if (!(item instanceof MapNode m)) {
                fields.error(item.line(), field, "expected a route mapping (name:, match:, service:, stage: ...), found " + item.kind());
                continue;
            }
            Optional<String> name = fields.text(m, "name", field + ".name");
            if (name.isPresent()) {
                field = "routes[" + i + "] (" + name.get() + ")";
                Integer firstLine = names.putIfAbsent(name.get(), lineOf(m, "name"));
                if (firstLine != null) {
                    fields.error(lineOf(m, "name"), field + ".name", "route name \"" + name.get() + "\" is already used on line "
                            + firstLine + "; names must be unique (they key metrics, state and the API)");
                }
            }
            Route route = route(m, field, name, services);
            if (route != null) {
                routes.add(route);
                lines.add(m.line());
                routeFields.add(field);
            }
        }
        for (RouteConflict c : RouteTable.conflicts(routes)) {
            // the conflict's message already says how to fix it: adding a hint here printed it twice
            fields.error(lines.get(c.secondIndex()), routeFields.get(c.secondIndex()) + ".match", c.message());
        }
        return routes;
    }

    private Route route(MapNode m, String field, Optional<String> name, Map<String, Backend> services) {
        int errorsBefore = fields.errorCount();
        fields.checkKeys(m, field, ROUTE_KEYS);
        if (name.isEmpty()) {
            fields.error(m.line(), field + ".name", "missing; every route needs a unique name, e.g. name: posts-read");
        } else if (!NAME.matcher(name.get()).matches()) {
            fields.error(lineOf(m, "name"), field + ".name", "\"" + name.get() + "\" is not a valid name: use letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit");
        }

        RouteMatch match = match(m, field);

        Optional<String> service = fields.text(m, "service", field + ".service");
        if (service.isEmpty()) {
            fields.error(m.line(), field + ".service", "missing; name the service that will own this route");
        } else if (!services.containsKey(service.get())) {
            fields.error(lineOf(m, "service"), field + ".service", "\"" + service.get() + "\" is not declared under services"
                    + suggestion(service.get(), services.keySet())
                    + (services.isEmpty() ? "; declare it: services: { " + service.get() + ": { url: http://... } }"
                    : " (declared: " + String.join(", ", services.keySet()) + ")"));
        }

        Stage stage = Stage.MONOLITH;
        Optional<String> stageText = fields.text(m, "stage", field + ".stage");
        if (stageText.isPresent()) {
            Optional<Stage> parsed = Stage.fromConfigName(stageText.get());
            if (parsed.isEmpty()) {
                fields.error(lineOf(m, "stage"), field + ".stage", "\"" + stageText.get() + "\" is not a stage; use one of "
                        + "monolith, shadow, canary, live, retired"
                        + suggestion(stageText.get(), Set.of("monolith", "shadow", "canary", "live", "retired")));
            } else {
                stage = parsed.get();
            }
        }

        double percent = 0;
        Optional<String> percentText = fields.text(m, "percent", field + ".percent");
        if (percentText.isPresent()) {
            String p = percentText.get().strip();
            try {
                percent = Double.parseDouble(p.endsWith("%") ? p.substring(0, p.length() - 1) : p);
                if (!(percent >= 0 && percent <= 100)) {
                    fields.error(lineOf(m, "percent"), field + ".percent", p + " is outside 0..100");
                    percent = 0;
                }
            } catch (NumberFormatException e) {
                fields.error(lineOf(m, "percent"), field + ".percent", "\"" + p + "\" is not a number; write e.g. percent: 10");
            }
        } else if (stage == Stage.CANARY) {
            fields.error(m.line(), field + ".percent", "missing; a canary needs the share of users the service serves, "
                    + "e.g. percent: 5");
        }

        StickyKey sticky = StickyKey.DEFAULT;
        Optional<String> stickyText = fields.text(m, "sticky", field + ".sticky");
        if (stickyText.isPresent()) {
            Optional<StickyKey> parsed = StickyKey.parse(stickyText.get());
            if (parsed.isEmpty()) {
                fields.error(lineOf(m, "sticky"), field + ".sticky", "\"" + stickyText.get() + "\" is not a sticky key; use "
                        + "header:NAME, cookie:NAME or client-ip");
            } else if (parsed.get() instanceof StickyKey.Header(String n) && !TOKEN.matcher(n).matches()
                    || parsed.get() instanceof StickyKey.Cookie(String c) && !TOKEN.matcher(c).matches()) {
                // A name no client can send: every user would fall on the same side, silently.
                fields.error(lineOf(m, "sticky"), field + ".sticky", "\"" + stickyText.get() + "\" names no header or cookie a "
                        + "client could send (a name is letters, digits and !#$%&'*+.^_`|~-, no spaces)");
            } else {
                sticky = parsed.get();
            }
        }

        FallbackPolicy fallback = FallbackPolicy.SAFE;
        Optional<String> fallbackText = fields.text(m, "fallback", field + ".fallback");
        if (fallbackText.isPresent()) {
            Optional<FallbackPolicy> parsed = FallbackPolicy.fromConfigName(fallbackText.get());
            if (parsed.isPresent()) {
                fallback = parsed.get();
            } else {
                fields.error(lineOf(m, "fallback"), field + ".fallback", "\"" + fallbackText.get()
                        + "\" is not a fallback policy; use safe (retry GET/HEAD/OPTIONS on the monolith), all, "
                        + "or none (never; reads cannot be answered stale by the monolith)");
            }
        }

        Optional<PathRewrite> rewrite = Optional.empty();
        Optional<String> rewriteText = fields.text(m, "rewrite", field + ".rewrite");
        Optional<String> rewriteProblem = rewriteText.flatMap(WireText::pathProblem);
        if (rewriteProblem.isPresent()) {
            fields.error(lineOf(m, "rewrite"), field + ".rewrite", "\"" + rewriteText.get() + "\" " + rewriteProblem.get());
        } else if (rewriteText.isPresent() && match != null) {
            try {
                rewrite = Optional.of(PathRewrite.parse(rewriteText.get(), match.path()));
            } catch (IllegalArgumentException e) {
                fields.error(lineOf(m, "rewrite"), field + ".rewrite", e.getMessage());
            }
        }

        HeaderRules headers = requestHeaders(m, field);

        HostHeader hostHeader = HostHeader.KEEP;
        Optional<String> hostText = fields.text(m, "host-header", field + ".host-header");
        if (hostText.isPresent()) {
            Optional<HostHeader> parsed = HostHeader.fromConfigName(hostText.get());
            if (parsed.isPresent()) {
                hostHeader = parsed.get();
            } else {
                fields.error(lineOf(m, "host-header"), field + ".host-header", "\"" + hostText.get()
                        + "\" is not a choice; use keep (the client's Host) or service (the service URL's host)");
            }
        }

        ShadowSettings shadow = shadows.shadow(m, field);
        PromotionPlan plan = plans.plan(m, field);

        if (fields.errorCount() > errorsBefore || match == null || name.isEmpty() || service.isEmpty()) return null;
        return new Route(name.get(), match, service.get(), stage, percent, sticky, fallback, rewrite, headers, hostHeader,
                shadow, plan);
    }

    private RouteMatch match(MapNode route, String routeField) {
        String field = routeField + ".match";
        Optional<MapNode> m = fields.section(route, "match", field);
        if (m.isEmpty()) {
            if (!route.entries().containsKey("match")) {
                fields.error(route.line(), field, "missing; say what the route claims, e.g. match: { path: /api/posts/** }");
            }
            return null;
        }
        fields.checkKeys(m.get(), field, MATCH_KEYS);
        PathPattern path = null;
        Optional<String> pathText = fields.text(m.get(), "path", field + ".path");
        if (pathText.isEmpty()) {
            fields.error(m.get().line(), field + ".path", "missing; e.g. path: /api/posts/{id}");
        } else if (WireText.pathProblem(pathText.get()).isPresent()) {
            fields.error(lineOf(m.get(), "path"), field + ".path", "\"" + pathText.get() + "\" "
                    + WireText.pathProblem(pathText.get()).get() + " (request paths are matched normalised, so it could never match)");
        } else {
            try {
                path = PathPattern.parse(pathText.get());
            } catch (IllegalArgumentException e) {
                fields.error(lineOf(m.get(), "path"), field + ".path", e.getMessage());
            }
        }
        Set<String> methods = new LinkedHashSet<>();
        Optional<Entry> methodsEntry = entry(m.get(), "methods");
        if (methodsEntry.isPresent()) {
            List<Scalar> items = methodsEntry.get().value() instanceof Scalar s && s.text() != null
                    ? List.of(s) : fields.scalarList(m.get(), "methods", field + ".methods");
            for (Scalar s : items) {
                String method = s.text().strip().toUpperCase(Locale.ROOT);
                if (!TOKEN.matcher(method).matches()) {
                    fields.error(s.line(), field + ".methods", "\"" + s.text() + "\" is not an HTTP method; write e.g. [GET, HEAD]");
                } else {
                    methods.add(method);
                }
            }
        }
        Optional<String> host = fields.text(m.get(), "host", field + ".host").map(String::strip);
        if (host.isPresent() && !HOST.matcher(host.get()).matches()) {
            fields.error(lineOf(m.get(), "host"), field + ".host", "\"" + host.get() + "\" is not a host name; write it "
                    + "without scheme or port, e.g. api.example.com");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        fields.section(m.get(), "headers", field + ".headers").ifPresent(h -> {
            for (Entry e : h.entries().values()) {
                if (!TOKEN.matcher(e.key()).matches()) {
                    fields.error(e.line(), field + ".headers." + e.key(), "is not a valid header name");
                } else if (e.value() instanceof Scalar s && s.text() != null) {
                    // A value no client can send would make a route that never matches.
                    WireText.headerValueProblem(s.text()).ifPresentOrElse(p -> fields.error(e.line(), field + ".headers." + e.key(), p),
                            () -> headers.put(e.key(), s.text()));
                } else {
                    fields.error(e.line(), field + ".headers." + e.key(), "expected the header's exact value, found " + e.value().kind());
                }
            }
        });
        if (path == null) return null;
        return new RouteMatch(methods, path, host, headers);
    }

    private HeaderRules requestHeaders(MapNode route, String routeField) {
        String field = routeField + ".request-headers";
        Optional<MapNode> h = fields.section(route, "request-headers", field);
        if (h.isEmpty()) return HeaderRules.NONE;
        fields.checkKeys(h.get(), field, ordered("set", "remove"));
        Map<String, String> set = new LinkedHashMap<>();
        fields.section(h.get(), "set", field + ".set").ifPresent(s -> {
            for (Entry e : s.entries().values()) {
                String f = field + ".set." + e.key();
                if (!TOKEN.matcher(e.key()).matches()) {
                    fields.error(e.line(), f, "is not a valid header name");
                } else if (e.key().equalsIgnoreCase("host")) {
                    fields.error(e.line(), f, "Host is chosen with host-header: keep | service");
                } else if (WireText.isFraming(e.key())) {
                    fields.error(e.line(), f, WireText.framingProblem(e.key()));
                } else if (e.value() instanceof Scalar v && v.text() != null) {
                    WireText.headerValueProblem(v.text()).ifPresentOrElse(p -> fields.error(e.line(), f, p),
                            () -> set.put(e.key(), v.text()));
                } else {
                    fields.error(e.line(), f, "expected a header value, found " + e.value().kind());
                }
            }
        });
        Set<String> remove = new LinkedHashSet<>();
        if (h.get().entries().containsKey("remove")) {
            for (Scalar s : fields.scalarList(h.get(), "remove", field + ".remove")) {
                if (!TOKEN.matcher(s.text()).matches()) fields.error(s.line(), field + ".remove", "\"" + s.text() + "\" is not a valid header name");
                else if (WireText.isFraming(s.text())) fields.error(s.line(), field + ".remove", WireText.framingProblem(s.text()));
                else remove.add(s.text());
            }
        }
        return new HeaderRules(set, remove);
    }
}
