package dev.strangler.gateway.reload;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/** What a new config changes, one line per route, backend or setting, in words an operator reads in a log. */
final class ConfigChanges {
    private static final String RESTART = " (takes a restart)";

    private ConfigChanges() {}

    /** Empty when {@code after} serves exactly like {@code before} (where they were read from does not count). */
    static List<String> between(GatewayConfig before, GatewayConfig after) {
        List<String> out = new ArrayList<>();
        Map<String, Route> old = byName(before.routes());
        Map<String, Route> next = byName(after.routes());
        next.forEach((name, r) -> {
            Route was = old.get(name);
            if (was == null) out.add(name + ": added, " + stage(r));
            else if (!was.equals(r)) out.add(name + ": " + String.join(", ", routeFields(was, r)));
        });
        old.keySet().stream().filter(name -> !next.containsKey(name)).forEach(name -> out.add(name + ": removed"));

        if (!before.monolith().equals(after.monolith()))
            out.add("monolith: " + String.join(", ", backendFields(before.monolith(), after.monolith())));
        for (String name : new TreeSet<>(union(before.services().keySet(), after.services().keySet()))) {
            Backend was = before.services().get(name);
            Backend now = after.services().get(name);
            if (was == null) out.add("service " + name + ": added");
            else if (now == null) out.add("service " + name + ": removed");
            else if (!was.equals(now)) out.add("service " + name + ": " + String.join(", ", backendFields(was, now)));
        }

        setting(out, "listen", before, after, GatewayConfig::listen, true);
        setting(out, "tls", before, after, c -> c.tls().map(t -> t.certificate() + " + " + t.key()).orElse("off"), true);
        setting(out, "admin.listen", before, after, c -> c.admin().listen(), true);
        // The token is a secret: say that it changed, never what it is.
        setting(out, "admin.token", before, after, c -> c.admin().token().map(t -> "(set)").orElse("(none)"), true);
        setting(out, "store", before, after, GatewayConfig::storeUrlRedacted, true); // never a password in /health
        setting(out, "access-log", before, after, GatewayConfig::accessLog, true);
        setting(out, "debug-headers", before, after, GatewayConfig::debugHeaders, false);
        setting(out, "shutdown.drain-timeout", before, after, c -> duration(c.drainTimeout()), false);
        setting(out, "controller.interval", before, after, c -> duration(c.controllerInterval()), true);
        setting(out, "catalog.enabled", before, after, c -> c.catalog().enabled(), true);
        setting(out, "catalog.openapi", before, after, c -> c.catalog().openapi().map(Object::toString).orElse("(none)"), true);
        return out;
    }

    private static List<String> routeFields(Route was, Route now) {
        List<String> fields = new ArrayList<>();
        if (was.stage() != now.stage()) fields.add("stage " + stage(was) + " -> " + stage(now));
        else if (was.percent() != now.percent()) fields.add("percent " + percent(was.percent()) + " -> " + percent(now.percent()));
        if (!was.service().equals(now.service())) fields.add("service " + was.service() + " -> " + now.service());
        if (!was.match().equals(now.match())) fields.add("match");
        if (!was.sticky().equals(now.sticky())) fields.add("sticky");
        if (was.fallback() != now.fallback()) fields.add("fallback");
        if (!was.rewrite().equals(now.rewrite())) fields.add("rewrite");
        if (!was.requestHeaders().equals(now.requestHeaders())) fields.add("request-headers");
        if (was.hostHeader() != now.hostHeader()) fields.add("host-header");
        if (!was.shadow().equals(now.shadow())) fields.add("shadow");
        if (was.plan().automate() != now.plan().automate()) fields.add("automate " + was.plan().automate() + " -> " + now.plan().automate());
        if (!was.plan().steps().equals(now.plan().steps())) fields.add("steps " + was.plan().steps() + " -> " + now.plan().steps());
        if (!was.plan().gates().equals(now.plan().gates())) fields.add("gates");
        return fields;
    }

    private static List<String> backendFields(Backend was, Backend now) {
        List<String> fields = new ArrayList<>();
        if (!was.urls().equals(now.urls())) fields.add("urls " + was.urls() + " -> " + now.urls());
        if (!was.connectTimeout().equals(now.connectTimeout())) fields.add("connect-timeout");
        if (!was.responseTimeout().equals(now.responseTimeout())) fields.add("response-timeout");
        if (was.maxConnections() != now.maxConnections()) fields.add("max-connections");
        if (!was.trustedCertificate().equals(now.trustedCertificate())) fields.add("trusted-certificate");
        return fields;
    }

    private static String stage(Route r) {
        return r.stage() == Stage.CANARY ? "canary " + percent(r.percent()) : r.stage().configName();
    }

    private static String percent(double p) {
        return (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + "%";
    }

    /** As the config file writes it: {@code 30s}, {@code 500ms}, {@code 2m}. */
    private static String duration(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    private static <T> void setting(List<String> out, String name, GatewayConfig before, GatewayConfig after,
                                    Function<GatewayConfig, T> value, boolean needsRestart) {
        T was = value.apply(before);
        T now = value.apply(after);
        if (!Objects.equals(was, now)) out.add(name + ": " + was + " -> " + now + (needsRestart ? RESTART : ""));
    }

    private static Map<String, Route> byName(List<Route> routes) {
        Map<String, Route> m = new LinkedHashMap<>();
        routes.forEach(r -> m.put(r.name(), r));
        return m;
    }

    private static <T> List<T> union(java.util.Collection<T> a, java.util.Collection<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
