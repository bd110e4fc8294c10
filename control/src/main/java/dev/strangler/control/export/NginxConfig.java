package dev.strangler.control.export;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.PathPattern;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.FallbackPolicy;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyHash;
import dev.strangler.core.stage.StickyKey;
import dev.strangler.gateway.observe.Outcome;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The plan as an NGINX {@code http}-context file: one {@code upstream} per backend, one regex
 * {@code location} per route, and the stage carried out with NGINX's own directives.
 *
 * <p>NGINX has no typed model, so this is text; every value that reaches it is either a name
 * reduced to {@code [A-Za-z0-9_]}, a literal path segment quoted for a regex, or a number.
 *
 * <h2>How each stage maps</h2>
 * <ul>
 *   <li>{@code monolith}: proxied to the monolith (the location only documents the route);</li>
 *   <li>{@code shadow}: the monolith answers, {@code mirror} copies the request to the service with
 *       {@code X-Strangler-Shadow: true}; the copy's response is discarded (no diffing). A client's own
 *       {@code X-Strangler-Shadow} is never forwarded, on any leg (set empty at server level, which
 *       NGINX does not send), so a service can trust the mark as it can behind Strangler;</li>
 *   <li>{@code canary}: {@code split_clients "service:${key}"} — the very function of
 *       {@link StickyHash}, so every user is on the side Strangler would choose. A request without
 *       its key is split on {@code $request_id}, i.e. at random, as Strangler does. A canary that
 *       was running when Strangler moved to that function keeps the legacy one until it leaves
 *       canary ({@link BucketFunction#LEGACY}); NGINX cannot compute it, and the file says so;</li>
 *   <li>{@code live}: the service, with the monolith as fallback for the methods the route's
 *       fallback allows when the service cannot be reached or times out ({@code error_page 502 504}
 *       on NGINX's own errors only, not on the service's responses);</li>
 *   <li>{@code retired}: the service, no fallback.</li>
 * </ul>
 * A request a route's methods, host or headers do not claim goes to the monolith, via
 * {@code error_page 418}: {@code if} only ever {@code return}s, the one use of it NGINX calls safe.
 *
 * <h2>Access log</h2>
 * {@code log_format strangler} writes one JSON line per request with the field names of
 * Strangler's own access log, so one query reads both. Each location {@code set}s the route, the
 * stage and the backend that answered; a route's location names itself only after its
 * {@code if}s, so a request it does not claim is logged as {@code _unrouted}, as Strangler logs it.
 * No {@code set} is at server level: the shadow copy, a subrequest, shares the request's variables.
 */
public final class NginxConfig {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_]");
    /** The header that marks a shadow copy, as Strangler's own gateway sends it. */
    static final String SHADOW_HEADER = "X-Strangler-Shadow";
    static final int NOT_CLAIMED = 418;
    static final int TO_SERVICE = 419;
    static final int UNSAFE_METHOD = 420;
    /** Set again wherever a location sets a header of its own: NGINX then drops the inherited ones. */
    /** What a request is logged as until a route claims it: Strangler's label, the monolith's stage and backend. */
    private static final String UNROUTED = "        set $strangler_route " + Outcome.UNROUTED + ";\n"
            + "        set $strangler_stage " + Stage.MONOLITH.configName() + ";\n"
            + "        set $strangler_backend monolith;\n";
    private static final String PROXY_HEADERS = """
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Request-Id $strangler_request_id;
            """;

    /** Strangler's access-log fields as NGINX has them; what it lacks is said in {@link #ACCESS_LOG}. */
    private static final String ACCESS_LOG = """

            # Access log: one JSON line per request with the fields of Strangler's own access log. Differences:
            # time to the second; no query (NGINX cannot redact parameters named like secrets); no
            # upstream_*_ms, fallback or error; client and user_agent are "" rather than left out.
            log_format strangler escape=json '{"time":"$time_iso8601","request_id":"$strangler_request_id",'
                '"method":"$request_method","path":"$strangler_path","route":"$strangler_route","stage":"$strangler_stage",'
                '"backend":"$strangler_backend","status":$status,"duration_ms":$strangler_duration_ms,'
                '"bytes_in":$request_length,"bytes_out":$body_bytes_sent,"client":"$remote_addr","user_agent":"$http_user_agent"}';
            map $request_uri $strangler_path {
                "~^(?<strangler_raw_path>[^?]*)" $strangler_raw_path;
            }
            map $request_time $strangler_duration_ms {
                "~^0\\.0*(?<strangler_ms>[0-9]+)$" $strangler_ms;
                "~^(?<strangler_s>[1-9][0-9]*)\\.(?<strangler_s_ms>[0-9]{3})$" $strangler_s$strangler_s_ms;
                default 0;
            }
            """;

    private NginxConfig() {}

    /** Renders the {@code http}-context file for the config's routes as they are (apply runtime positions first). */
    public static String render(GatewayConfig config) {
        Objects.requireNonNull(config, "config");
        StringBuilder out = new StringBuilder(4096);
        out.append("""
                # Generated by `strangler export --format nginx`: include it in the http {} block.
                # What NGINX cannot do that Strangler does:
                #  - shadow copies are sent (mirror) but their responses are not compared: diffing needs Strangler;
                #  - no controller: stages and percents change only when this file is exported again
                #    (`strangler export --watch` does that and runs your reload command);
                #  - routes are tried in the order below (regex locations, first match wins), not by Strangler's specificity;
                #  - live's fallback covers NGINX's own errors (connect failure, timeout), for the methods the route allows.
                """);
        out.append("\n# Request id: kept from the client, generated otherwise, sent to every backend and back.\n");
        out.append("map $http_x_request_id $strangler_request_id {\n    \"\" $request_id;\n    default $http_x_request_id;\n}\n");
        out.append(ACCESS_LOG);
        upstream(out, "strangler_monolith", config.monolith());
        for (Map.Entry<String, Backend> s : new java.util.TreeMap<>(config.services()).entrySet())
            upstream(out, serviceUpstream(s.getKey()), s.getValue());
        for (int i = 0; i < config.routes().size(); i++)
            if (config.routes().get(i).stage() == Stage.CANARY) split(out, config.routes().get(i), "r" + i);

        out.append("\nserver {\n    listen ").append(config.listen().host().equals("0.0.0.0") ? "" : config.listen().host() + ":")
                .append(config.listen().port()).append(";\n");
        out.append("""
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Request-Id $strangler_request_id;
                    proxy_set_header X-Strangler-Shadow ""; # a client's is never forwarded: only the shadow copies carry it
                    add_header X-Request-Id $strangler_request_id always;
                    recursive_error_pages on;
                    access_log /dev/stdout strangler; # as Strangler's, on stdout; or a file of yours

                    location / {
                """);
        out.append(UNROUTED).append("""
                        proxy_pass http://strangler_monolith;
                    }

                    location @strangler_monolith {
                        set $strangler_backend monolith;
                        proxy_pass http://strangler_monolith;
                    }
                """);
        for (int i = 0; i < config.routes().size(); i++) location(out, config.routes().get(i), "r" + i);
        out.append("}\n");
        return out.toString();
    }

    private static void upstream(StringBuilder out, String name, Backend backend) {
        out.append("\nupstream ").append(name).append(" {\n");
        for (URI u : backend.urls()) {
            int port = Backend.port(u);
            out.append("    server ").append(u.getHost()).append(':').append(port).append(";\n");
        }
        out.append("    keepalive 16;\n}\n");
    }

    /** @param var the route's short id in variable names: NGINX's variables hash limits their length */
    private static void split(StringBuilder out, Route r, String var) {
        int threshold = StickyHash.threshold(r.percent());
        if (threshold <= 0 || threshold >= StickyHash.BUCKETS) return; // NGINX refuses 0%; 100% needs no split
        out.append("\n# ").append(r.name()).append(": canary ").append(percentText(threshold))
                .append(" of users by ").append(ManifestText.stickyText(r.sticky()))
                .append(r.stickyHash() == BucketFunction.LEGACY ? "." : ", the same users as Strangler.").append('\n');
        if (r.stickyHash() == BucketFunction.LEGACY) {
            out.append("# NOT the same users as Strangler: this canary was running when Strangler moved to NGINX's hash and\n")
                    .append("# keeps its legacy bucket function (FNV-1a), which NGINX cannot reproduce. Until the route leaves\n")
                    .append("# canary (live, or rolled back), this split serves the same share but differs user by user.\n");
        }
        out.append("map ").append(keyVariable(r.sticky())).append(" $strangler_key_").append(var)
                .append(" {\n    \"\" $request_id;\n    default ").append(keyVariable(r.sticky())).append(";\n}\n");
        out.append("split_clients \"").append(r.service()).append(StickyHash.SEPARATOR).append("${strangler_key_").append(var)
                .append("}\" $strangler_side_").append(var).append(" {\n    ").append(percentText(threshold))
                .append(" service;\n    * monolith;\n}\n");
    }

    /** @param captures the prefix of the route's regex capture names: short, as PCRE caps a name at 32 characters */
    private static void location(StringBuilder out, Route r, String captures) {
        String id = name(r.name());
        String var = captures;
        out.append("\n    # route ").append(r.name()).append(": ").append(r.match().path()).append(" → ").append(r.service())
                .append(", stage ").append(r.stage().name().toLowerCase(Locale.ROOT));
        if (r.stage() == Stage.CANARY) out.append(' ').append(r.percent()).append('%');
        out.append('\n');
        out.append("    location ~ ").append(regex(r.match().path(), captures)).append(" {\n");
        out.append("        error_page ").append(NOT_CLAIMED).append(" = @strangler_monolith;\n");
        out.append("        error_page ").append(TO_SERVICE).append(" = @strangler_service_").append(id).append(";\n");
        out.append(UNROUTED);
        if (!r.match().methods().isEmpty())
            out.append("        if ($request_method !~ ^(").append(String.join("|", new TreeSet<>(r.match().methods())))
                    .append(")$) { return ").append(NOT_CLAIMED).append("; }\n");
        r.match().host().ifPresent(h -> out.append("        if ($host != \"").append(quoted(h)).append("\") { return ")
                .append(NOT_CLAIMED).append("; }\n"));
        r.match().headers().forEach((k, v) -> out.append("        if ($http_").append(name(k.replace('-', '_')).toLowerCase(Locale.ROOT))
                .append(" != \"").append(quoted(v)).append("\") { return ").append(NOT_CLAIMED).append("; }\n"));
        out.append("        set $strangler_uri_").append(var).append(' ').append(servicePath(r, captures)).append(";\n");
        out.append("        set $strangler_route \"").append(quoted(r.name())).append("\";\n");
        out.append("        set $strangler_stage ").append(r.stage().configName()).append(";\n");
        switch (r.stage()) {
            case MONOLITH -> out.append("        proxy_pass http://strangler_monolith;\n");
            case SHADOW -> {
                out.append("        mirror /_strangler_shadow/").append(id).append(";\n");
                out.append("        mirror_request_body on;\n");
                out.append("        proxy_pass http://strangler_monolith;\n");
            }
            case CANARY -> {
                int threshold = StickyHash.threshold(r.percent());
                if (threshold >= StickyHash.BUCKETS) out.append("        return ").append(TO_SERVICE).append(";\n");
                else if (threshold > 0)
                    out.append("        if ($strangler_side_").append(var).append(" = service) { return ").append(TO_SERVICE).append("; }\n");
                out.append("        proxy_pass http://strangler_monolith;\n");
            }
            case LIVE, RETIRED -> out.append("        return ").append(TO_SERVICE).append(";\n");
        }
        out.append("    }\n");

        boolean fallback = r.stage() != Stage.RETIRED && r.fallback() != FallbackPolicy.NONE;
        String answeredBy = "        set $strangler_backend \"" + quoted(r.service()) + "\";\n";
        out.append("    location @strangler_service_").append(id).append(" {\n");
        if (fallback && r.fallback() == FallbackPolicy.SAFE)
            out.append("        error_page ").append(UNSAFE_METHOD).append(" = @strangler_service_").append(id).append("_nofallback;\n")
                    .append("        if ($request_method !~ ^(GET|HEAD|OPTIONS)$) { return ").append(UNSAFE_METHOD).append("; }\n");
        if (fallback) out.append("        error_page 502 504 = @strangler_monolith;\n");
        out.append(answeredBy);
        out.append("        proxy_pass http://").append(serviceUpstream(r.service())).append("$strangler_uri_").append(var).append(";\n");
        out.append("    }\n");
        if (fallback && r.fallback() == FallbackPolicy.SAFE) {
            out.append("    location @strangler_service_").append(id).append("_nofallback {\n").append(answeredBy);
            out.append("        proxy_pass http://").append(serviceUpstream(r.service())).append("$strangler_uri_").append(var).append(";\n");
            out.append("    }\n");
        }
        if (r.stage() == Stage.SHADOW) {
            out.append("    location /_strangler_shadow/").append(id).append(" {\n        internal;\n");
            out.append(PROXY_HEADERS);
            out.append("        proxy_set_header ").append(SHADOW_HEADER).append(" true;\n");
            out.append("        proxy_pass http://").append(serviceUpstream(r.service())).append("$strangler_uri_").append(var).append(";\n");
            out.append("    }\n");
        }
    }

    /** An anchored regex with a named capture per parameter ({@code <prefix>_<ordinal>}) and for {@code **} ({@code <prefix>_rest}). */
    static String regex(PathPattern pattern, String captures) {
        StringBuilder b = new StringBuilder("\"^");
        int ordinal = 0;
        for (PathPattern.Segment s : pattern.segments()) {
            switch (s) {
                case PathPattern.Segment.Literal l -> b.append('/').append(ManifestText.regexLiteral(l.text()).replace("\"", "\\\""));
                case PathPattern.Segment.Param p -> b.append("/(?<").append(captures).append('_').append(ordinal++).append(">[^/]+)");
                case PathPattern.Segment.CatchAll c -> b.append("(?<").append(captures).append("_rest>/.*)?");
            }
        }
        if (pattern.segments().isEmpty()) b.append('/');
        return b.append("$\"").toString();
    }

    /** The path the service receives, as NGINX variables, the query kept. */
    static String servicePath(Route r, String captures) {
        List<String> params = new java.util.ArrayList<>();
        for (PathPattern.Segment s : r.match().path().segments()) if (s instanceof PathPattern.Segment.Param p) params.add(p.name());
        Optional<ManifestText.RewriteText> rewrite = ManifestText.RewriteText.of(r);
        if (rewrite.isEmpty()) return "\"$request_uri\"";
        StringBuilder b = new StringBuilder();
        for (String seg : rewrite.get().head().split("/")) {
            if (seg.isEmpty()) continue;
            b.append('/');
            if (seg.startsWith("{")) b.append("${").append(captures).append('_').append(params.indexOf(seg.substring(1, seg.length() - 1))).append('}');
            else b.append(seg);
        }
        if (rewrite.get().carriesRest()) b.append("${").append(captures).append("_rest}");
        return "\"" + (b.isEmpty() ? "/" : b.toString()) + "$is_args$args\"";
    }

    static String keyVariable(StickyKey sticky) {
        return switch (sticky) {
            case StickyKey.Header h -> "$http_" + name(h.name().replace('-', '_')).toLowerCase(Locale.ROOT);
            case StickyKey.Cookie c -> "$cookie_" + name(c.name());
            case StickyKey.ClientIp ip -> "$remote_addr";
        };
    }

    /** Basis points as NGINX reads them: two decimals. */
    static String percentText(int basisPoints) {
        return String.format(Locale.ROOT, "%d.%02d%%", basisPoints / 100, basisPoints % 100);
    }

    static String serviceUpstream(String service) {
        return "strangler_service_" + name(service);
    }

    static String name(String text) {
        return UNSAFE.matcher(text).replaceAll("_");
    }

    private static String quoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$");
    }

    /** The routes' names as NGINX identifiers; two routes may not collapse onto one. */
    static void checkNames(List<Route> routes) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Route r : routes)
            if (!seen.add(name(r.name())))
                throw new IllegalArgumentException("route " + r.name() + ": its NGINX name " + name(r.name()) + " is taken by another route (expected: names that differ in letters, digits or _)");
    }
}
