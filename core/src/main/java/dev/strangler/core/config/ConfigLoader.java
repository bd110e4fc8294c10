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
import dev.strangler.core.plan.Gates;
import dev.strangler.core.plan.PromotionPlan;
import dev.strangler.core.diff.ArrayRule;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyKey;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the YAML config file into a validated {@link GatewayConfig}, or explains every
 * problem with file, line and field. Nothing half-valid escapes: the caller either gets a
 * config that the gateway can serve or a {@link ConfigException}, and on reload keeps the old one.
 *
 * <p>Keys are kebab-case. The reference is in the README; in short:
 * <pre>
 * listen: 0.0.0.0:8080
 * tls: { cert: server.pem, key: server-key.pem }           # optional
 * admin: { listen: 127.0.0.1:9090, token: ${STRANGLER_ADMIN_TOKEN}, allowed-hosts: [admin.internal] }
 * store: { url: jdbc:h2:file:./strangler-data/state }
 * access-log: true
 * debug-headers: false                                      # X-Strangler-Route/-Stage on responses
 * shutdown: { drain-timeout: 30s }
 * client: { header-timeout: 10s, idle-timeout: 60s, body-idle-timeout: 30s, cleartext-http2: true }
 * monolith: { url: http://127.0.0.1:8081 }
 * services:
 *   posts: { url: http://127.0.0.1:8082, connect-timeout: 2s, response-timeout: 30s, max-connections: 128 }
 * routes:
 *   - name: posts-read
 *     match: { methods: [GET], path: /api/posts/**, host: api.example.com, headers: { X-Beta: "1" } }
 *     service: posts
 *     stage: canary          # monolith | shadow | canary | live | retired
 *     percent: 10
 *     sticky: header:X-User-Id
 *     fallback: safe         # safe (GET/HEAD/OPTIONS) | all | none
 *     rewrite: /posts/**
 *     request-headers: { set: { X-Source: strangler }, remove: [Cookie] }
 *     host-header: keep      # keep | service
 *     shadow: { writes: false, max-body-bytes: 262144, max-concurrent: 64, ignore-paths: [$..updatedAt], arrays: ordered }
 * </pre>
 */
public final class ConfigLoader {

    private static final Set<String> TOP_LEVEL = ordered("listen", "tls", "admin", "store", "access-log", "debug-headers", "shutdown",
            "client", "controller", "catalog", "monolith", "services", "routes");
    private static final Set<String> BACKEND_KEYS = ordered("url", "urls", "connect-timeout", "response-timeout",
            "max-connections", "trusted-certificate", "outlier");
    private static final Set<String> OUTLIER_KEYS = ordered("consecutive-failures", "ejection-time", "max-ejection-time");
    private static final Set<String> ROUTE_KEYS = ordered("name", "match", "service", "stage", "percent", "sticky",
            "fallback", "rewrite", "request-headers", "host-header", "shadow", "automate", "steps", "gates");
    private static final Set<String> MATCH_KEYS = ordered("methods", "path", "host", "headers");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** RFC 9110 token: what a method or header name may be made of. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private ConfigLoader() {}

    /** Reads and validates {@code file}; {@code ${VAR}} come from this process's environment. */
    public static GatewayConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (MalformedInputException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, "", "is not UTF-8 text; save it as UTF-8")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, "",
                    "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + "); check the path and its permissions")));
        }
        return parse(text, file, System.getenv());
    }

    /**
     * Validates config text as if read from {@code file} (used for messages and to resolve
     * relative certificate paths against the file's directory).
     */
    public static GatewayConfig parse(String yaml, Path file, Map<String, String> env) throws ConfigException {
        return new Reading(file, env).read(yaml);
    }

    /** One pass over one file: collects every error instead of stopping at the first. */
    private static final class Reading {
        private final Path file;
        private final Path directory;
        private final Map<String, String> env;
        private final List<ConfigError> errors = new ArrayList<>();
        /** Where Strangler itself listens (user traffic, admin): a backend there would loop. */
        private List<HostPort> ownAddresses = List.of();

        Reading(Path file, Map<String, String> env) {
            this.file = file;
            Path parent = file.toAbsolutePath().getParent();
            this.directory = parent == null ? Path.of(".") : parent;
            this.env = env;
        }

        GatewayConfig read(String yaml) throws ConfigException {
            EnvSubstitution.Result substituted = EnvSubstitution.apply(yaml, env);
            substituted.problems().forEach(p -> error(p.line(), "", p.message()));

            List<YamlTree.Duplicate> duplicates = new ArrayList<>();
            Node root;
            try {
                root = YamlTree.parse(substituted.text(), duplicates);
            } catch (YamlTree.SyntaxError e) {
                error(e.line, "", e.getMessage());
                throw new ConfigException(errors);
            }
            duplicates.forEach(d -> error(d.line(), d.key(), "given twice (first on line " + d.firstLine()
                    + "); keep one"));
            if (!(root instanceof MapNode top)) {
                error(root.line(), "", "expected a mapping of settings (listen:, monolith:, services:, routes: ...), found "
                        + root.kind());
                throw new ConfigException(errors);
            }
            checkKeys(top, "", TOP_LEVEL);

            HostPort listen = hostPort(top, "listen", "listen", Defaults.LISTEN);
            Optional<TlsFiles> tls = tls(top);
            AdminSettings admin = admin(top);
            if (listen.port() != 0 && listen.port() == admin.listen().port()
                    && Addresses.sameSocket(listen, admin.listen())) {
                // Vert.x would share the port between both servers and answer user requests with the admin API now and then.
                error(lineOf(top, "admin"), "admin.listen", admin.listen() + " is the address user traffic listens on ("
                        + listen + "); give the admin API its own port, e.g. 127.0.0.1:9090");
            }
            ownAddresses = List.of(listen, admin.listen());
            String storeUrl = store(top);
            boolean accessLog = bool(top, "access-log", "access-log", Defaults.ACCESS_LOG);
            boolean debugHeaders = bool(top, "debug-headers", "debug-headers", Defaults.DEBUG_HEADERS);
            Duration drain = shutdown(top);
            ClientTimeouts client = client(top);
            Duration controllerInterval = controller(top);
            CatalogSettings catalog = catalog(top);

            Backend monolith = null;
            Optional<Entry> monolithEntry = entry(top, "monolith");
            if (monolithEntry.isEmpty()) {
                error(top.line(), "monolith", "missing; name the monolith every unclaimed request goes to, "
                        + "e.g. monolith: { url: http://127.0.0.1:8081 }");
            } else {
                monolith = backend(Backend.MONOLITH, monolithEntry.get(), "monolith");
            }
            Map<String, Backend> services = services(top);
            List<Route> routes = routes(top, services);

            if (!errors.isEmpty() || monolith == null) throw new ConfigException(sorted());
            return new GatewayConfig(Optional.of(file), listen, tls, admin, storeUrl, monolith, services, routes,
                    accessLog, drain, controllerInterval, catalog, client, debugHeaders);
        }

        // ---- sections ----------------------------------------------------------------------

        private Optional<TlsFiles> tls(MapNode top) {
            Optional<MapNode> tls = section(top, "tls", "tls");
            if (tls.isEmpty()) return Optional.empty();
            checkKeys(tls.get(), "tls", ordered("cert", "key"));
            Optional<Path> cert = readableFile(tls.get(), "cert", "tls.cert", true)
                    .filter(f -> isPem(f, tls.get(), "cert", "tls.cert", PemFile.CERTIFICATE));
            Optional<Path> key = readableFile(tls.get(), "key", "tls.key", true)
                    .filter(f -> isPem(f, tls.get(), "key", "tls.key", PemFile.PRIVATE_KEY));
            if (cert.isEmpty() || key.isEmpty()) return Optional.empty();
            return Optional.of(new TlsFiles(cert.get(), key.get()));
        }

        private AdminSettings admin(MapNode top) {
            Optional<MapNode> admin = section(top, "admin", "admin");
            HostPort defaultListen = HostPort.parse(Defaults.ADMIN_LISTEN).orElseThrow();
            if (admin.isEmpty()) return new AdminSettings(defaultListen, Optional.empty());
            checkKeys(admin.get(), "admin", ordered("listen", "token", "allowed-hosts"));
            HostPort listen = hostPort(admin.get(), "listen", "admin.listen", Defaults.ADMIN_LISTEN);
            Optional<String> token = text(admin.get(), "token", "admin.token").map(String::strip).filter(t -> !t.isEmpty());
            if (token.isPresent() && (WireText.headerValueProblem(token.get()).isPresent() || token.get().contains(" "))) {
                // The problem message would quote the secret: say only what is wrong with it.
                error(lineOf(admin.get(), "token"), "admin.token", "contains a space, a line break or a control character, "
                        + "so no client could send it in an Authorization header; use letters, digits and punctuation");
                token = Optional.empty();
            }
            if (!listen.isLoopback() && token.isEmpty()) {
                error(lineOf(admin.get(), "listen"), "admin.listen", listen + " is not a loopback address and no "
                        + "admin.token is set, so anyone who can reach it could move routes; set admin.token "
                        + "(e.g. token: ${STRANGLER_ADMIN_TOKEN}) or listen on 127.0.0.1");
            }
            List<String> allowedHosts = new ArrayList<>();
            if (admin.get().entries().containsKey("allowed-hosts")) {
                for (Scalar h : scalarList(admin.get(), "allowed-hosts", "admin.allowed-hosts")) {
                    String host = h.text().strip();
                    if (HOST.matcher(host).matches()) allowedHosts.add(host);
                    else error(h.line(), "admin.allowed-hosts", "\"" + host + "\" is not a host name; write it without "
                            + "scheme or port, e.g. allowed-hosts: [strangler-admin.internal]");
                }
            }
            return new AdminSettings(listen, token, allowedHosts);
        }

        private String store(MapNode top) {
            Optional<MapNode> store = section(top, "store", "store");
            if (store.isEmpty()) return Defaults.STORE_URL;
            checkKeys(store.get(), "store", ordered("url"));
            Optional<String> url = text(store.get(), "url", "store.url");
            if (url.isEmpty()) return Defaults.STORE_URL;
            if (!url.get().startsWith("jdbc:h2:") && !url.get().startsWith("jdbc:postgresql:")) {
                error(lineOf(store.get(), "url"), "store.url", "\"" + url.get() + "\" is not supported; use "
                        + "jdbc:h2:file:PATH (embedded) or jdbc:postgresql://HOST:PORT/DB (fleets)");
            } else {
                Addresses.postgresPortProblem(url.get()).ifPresent(p -> error(lineOf(store.get(), "url"), "store.url",
                        GatewayConfig.redactUrl(url.get()) + ": " + p));
            }
            return url.get();
        }

        private Duration shutdown(MapNode top) {
            Optional<MapNode> shutdown = section(top, "shutdown", "shutdown");
            if (shutdown.isEmpty()) return Defaults.DRAIN_TIMEOUT;
            checkKeys(shutdown.get(), "shutdown", ordered("drain-timeout"));
            return duration(shutdown.get(), "drain-timeout", "shutdown.drain-timeout", Defaults.DRAIN_TIMEOUT,
                    Limits.DRAIN_TIMEOUT);
        }

        private ClientTimeouts client(MapNode top) {
            Optional<MapNode> client = section(top, "client", "client");
            if (client.isEmpty()) return Defaults.CLIENT;
            checkKeys(client.get(), "client", ordered("header-timeout", "idle-timeout", "body-idle-timeout", "cleartext-http2"));
            boolean h2c = bool(client.get(), "cleartext-http2", "client.cleartext-http2", true);
            return new ClientTimeouts(
                    positiveDuration(client.get(), "header-timeout", "client.header-timeout", Defaults.CLIENT_HEADER_TIMEOUT),
                    positiveDuration(client.get(), "idle-timeout", "client.idle-timeout", Defaults.CLIENT_IDLE_TIMEOUT),
                    positiveDuration(client.get(), "body-idle-timeout", "client.body-idle-timeout", Defaults.CLIENT_BODY_IDLE_TIMEOUT),
                    h2c);
        }

        /** A duration of at least a millisecond: zero would close every connection at once. */
        private Duration positiveDuration(MapNode m, String key, String field, Duration fallback) {
            Duration d = duration(m, key, field, fallback);
            if (d.toMillis() < 1) {
                error(lineOf(m, key), field, "must be at least 1ms, was " + d + "; the default is " + fallback.toSeconds() + "s");
                return fallback;
            }
            return d;
        }

        private Duration controller(MapNode top) {
            Optional<MapNode> controller = section(top, "controller", "controller");
            if (controller.isEmpty()) return Defaults.CONTROLLER_INTERVAL;
            checkKeys(controller.get(), "controller", ordered("interval"));
            Duration interval = duration(controller.get(), "interval", "controller.interval", Defaults.CONTROLLER_INTERVAL,
                    Limits.CONTROLLER_INTERVAL);
            if (interval.compareTo(Limits.MIN_CONTROLLER_INTERVAL) < 0) {
                error(lineOf(controller.get(), "interval"), "controller.interval", "must be at least "
                        + Limits.MIN_CONTROLLER_INTERVAL.toMillis() + "ms (every interval writes to the store), was "
                        + interval.toMillis() + "ms");
                return Defaults.CONTROLLER_INTERVAL;
            }
            return interval;
        }

        private CatalogSettings catalog(MapNode top) {
            Optional<MapNode> catalog = section(top, "catalog", "catalog");
            if (catalog.isEmpty()) return Defaults.CATALOG;
            checkKeys(catalog.get(), "catalog", ordered("enabled", "openapi"));
            boolean enabled = bool(catalog.get(), "enabled", "catalog.enabled", Defaults.CATALOG.enabled());
            Optional<Path> openapi = catalog.get().entries().containsKey("openapi")
                    ? readableFile(catalog.get(), "openapi", "catalog.openapi", true) : Optional.empty();
            return new CatalogSettings(enabled, openapi);
        }

        private Map<String, Backend> services(MapNode top) {
            Map<String, Backend> services = new LinkedHashMap<>();
            Optional<MapNode> section = section(top, "services", "services");
            if (section.isEmpty()) return services;
            for (Entry e : section.get().entries().values()) {
                String field = "services." + e.key();
                if (!NAME.matcher(e.key()).matches()) {
                    error(e.line(), field, "a service name is letters, digits, '.', '_' or '-', starting with a letter or digit");
                    continue;
                }
                if (e.key().equals(Backend.MONOLITH)) {
                    error(e.line(), field, "\"monolith\" names the monolith itself; give the service another name");
                    continue;
                }
                Backend b = backend(e.key(), e, field);
                if (b != null) services.put(e.key(), b);
            }
            return services;
        }

        /** A backend is a mapping, or just its URL as a string ({@code posts: http://127.0.0.1:8082}). */
        private Backend backend(String name, Entry entry, String field) {
            if (entry.value() instanceof Scalar s && s.text() != null) {
                Optional<URI> url = backendUrl(s.text(), s.line(), field);
                return url.map(u -> Backend.of(name, u)).orElse(null);
            }
            if (!(entry.value() instanceof MapNode m)) {
                error(entry.line(), field, "expected a mapping such as { url: http://127.0.0.1:8081 }, found "
                        + entry.value().kind());
                return null;
            }
            checkKeys(m, field, BACKEND_KEYS);
            List<URI> urls = new ArrayList<>();
            boolean hasUrl = m.entries().containsKey("url");
            boolean hasUrls = m.entries().containsKey("urls");
            if (hasUrl && hasUrls) {
                error(lineOf(m, "urls"), field + ".urls", "give either url or urls, not both");
            } else if (hasUrl) {
                text(m, "url", field + ".url").flatMap(u -> backendUrl(u, lineOf(m, "url"), field + ".url")).ifPresent(urls::add);
            } else if (hasUrls) {
                List<Scalar> items = scalarList(m, "urls", field + ".urls");
                for (int i = 0; i < items.size(); i++) {
                    backendUrl(items.get(i).text(), items.get(i).line(), field + ".urls[" + i + "]").ifPresent(urls::add);
                }
                if (items.isEmpty()) error(lineOf(m, "urls"), field + ".urls", "is empty; list at least one URL");
            } else {
                error(m.line(), field + ".url", "missing; give the base URL, e.g. url: http://127.0.0.1:8081");
            }
            Duration connect = duration(m, "connect-timeout", field + ".connect-timeout", Defaults.CONNECT_TIMEOUT,
                    Limits.CONNECT_TIMEOUT);
            Duration response = duration(m, "response-timeout", field + ".response-timeout", Defaults.RESPONSE_TIMEOUT,
                    Limits.RESPONSE_TIMEOUT);
            int maxConnections = positiveInt(m, "max-connections", field + ".max-connections", Defaults.MAX_CONNECTIONS);
            Optional<Path> trusted = readableFile(m, "trusted-certificate", field + ".trusted-certificate", false)
                    .filter(f -> isPem(f, m, "trusted-certificate", field + ".trusted-certificate", PemFile.CERTIFICATE));
            Outlier outlier = outlier(m, name, field);
            if (urls.isEmpty()) return null;
            return new Backend(name, urls, connect, response, maxConnections, trusted, outlier);
        }

        /** {@code outlier: { consecutive-failures: 5, ejection-time: 10s, max-ejection-time: 5m }}; the monolith's is off. */
        private Outlier outlier(MapNode m, String name, String field) {
            Outlier d = Backend.MONOLITH.equals(name) ? Outlier.OFF : Outlier.DEFAULT;
            Optional<MapNode> section = section(m, "outlier", field + ".outlier");
            if (section.isEmpty()) return d;
            MapNode o = section.get();
            String f = field + ".outlier";
            if (Backend.MONOLITH.equals(name)) {
                error(o.line(), f, "the monolith's endpoints are never ejected (there is nothing to send its requests to instead); remove it");
                return d;
            }
            checkKeys(o, f, OUTLIER_KEYS);
            int consecutive = nonNegativeInt(o, "consecutive-failures", f + ".consecutive-failures", d.consecutiveFailures());
            Duration base = duration(o, "ejection-time", f + ".ejection-time", d.ejectionTime(), Limits.OUTLIER_EJECTION_TIME);
            Duration max = duration(o, "max-ejection-time", f + ".max-ejection-time",
                    base.compareTo(d.maxEjectionTime()) > 0 ? base : d.maxEjectionTime(), Limits.OUTLIER_EJECTION_TIME);
            if (base.isZero() || base.isNegative()) {
                error(lineOf(o, "ejection-time"), f + ".ejection-time", "must be more than 0, was " + base);
                return d;
            }
            if (max.compareTo(base) < 0) {
                error(lineOf(o, "max-ejection-time"), f + ".max-ejection-time",
                        "must be at least ejection-time (" + base + "), was " + max);
                return d;
            }
            return new Outlier(consecutive, base, max);
        }

        private Optional<URI> backendUrl(String text, int line, String field) {
            URI uri;
            try {
                uri = new URI(text.strip());
            } catch (URISyntaxException e) {
                error(line, field, "\"" + text + "\" is not a URL (" + e.getReason() + "); write e.g. http://127.0.0.1:8081");
                return Optional.empty();
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                error(line, field, "\"" + text + "\" must start with http:// or https://");
                return Optional.empty();
            }
            if (uri.getHost() == null) {
                error(line, field, "\"" + text + "\" has no host; write e.g. " + scheme + "://127.0.0.1:8081");
                return Optional.empty();
            }
            if (uri.getRawUserInfo() != null) {
                error(line, field, "\"" + text + "\" carries credentials; remove them from the URL and send them "
                        + "with request-headers on the route instead");
                return Optional.empty();
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                error(line, field, "\"" + text + "\" has port " + uri.getPort() + " (expected: 1..65535)");
                return Optional.empty();
            }
            int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            for (HostPort own : ownAddresses) {
                if (Addresses.isOwnAddress(own, new HostPort(host, port))) {
                    error(line, field, "\"" + text + "\" is Strangler's own address (" + own + "): every request would be "
                            + "sent back to Strangler, again and again; give the backend's own address");
                    return Optional.empty();
                }
            }
            Optional<String> pathProblem = WireText.pathProblem(uri.getRawPath() == null ? "" : uri.getRawPath());
            if (pathProblem.isPresent()) {
                error(line, field, "\"" + text + "\": its path " + pathProblem.get());
                return Optional.empty();
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                error(line, field, "\"" + text + "\" has a query or fragment; a backend URL is scheme, host, port and an optional path prefix");
                return Optional.empty();
            }
            return Optional.of(uri);
        }

        // ---- routes ------------------------------------------------------------------------

        private List<Route> routes(MapNode top, Map<String, Backend> services) {
            Optional<Entry> entry = entry(top, "routes");
            if (entry.isEmpty() || entry.get().value() instanceof Scalar s && s.text() == null) return List.of();
            if (!(entry.get().value() instanceof ListNode list)) {
                error(entry.get().line(), "routes", "expected a list of routes (each starting with '- name: ...'), found "
                        + entry.get().value().kind());
                return List.of();
            }
            List<Route> routes = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            Map<String, Integer> names = new TreeMap<>();
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                String field = "routes[" + i + "]";
                if (!(item instanceof MapNode m)) {
                    error(item.line(), field, "expected a route mapping (name:, match:, service:, stage: ...), found " + item.kind());
                    continue;
                }
                Optional<String> name = text(m, "name", field + ".name");
                if (name.isPresent()) {
                    field = "routes[" + i + "] (" + name.get() + ")";
                    Integer firstLine = names.putIfAbsent(name.get(), lineOf(m, "name"));
                    if (firstLine != null) {
                        error(lineOf(m, "name"), field + ".name", "route name \"" + name.get() + "\" is already used on line "
                                + firstLine + "; names must be unique (they key metrics, state and the API)");
                    }
                }
                Route route = route(m, field, name, services);
                if (route != null) {
                    routes.add(route);
                    lines.add(m.line());
                    fields.add(field);
                }
            }
            for (RouteConflict c : RouteTable.conflicts(routes)) {
                // the conflict's message already says how to fix it: adding a hint here printed it twice
                error(lines.get(c.secondIndex()), fields.get(c.secondIndex()) + ".match", c.message());
            }
            return routes;
        }

        private Route route(MapNode m, String field, Optional<String> name, Map<String, Backend> services) {
            int errorsBefore = errors.size();
            checkKeys(m, field, ROUTE_KEYS);
            if (name.isEmpty()) {
                error(m.line(), field + ".name", "missing; every route needs a unique name, e.g. name: posts-read");
            } else if (!NAME.matcher(name.get()).matches()) {
                error(lineOf(m, "name"), field + ".name", "\"" + name.get() + "\" is not a valid name: use letters, digits, "
                        + "'.', '_' or '-', starting with a letter or digit");
            }

            RouteMatch match = match(m, field);

            Optional<String> service = text(m, "service", field + ".service");
            if (service.isEmpty()) {
                error(m.line(), field + ".service", "missing; name the service that will own this route");
            } else if (!services.containsKey(service.get())) {
                error(lineOf(m, "service"), field + ".service", "\"" + service.get() + "\" is not declared under services"
                        + suggestion(service.get(), services.keySet())
                        + (services.isEmpty() ? "; declare it: services: { " + service.get() + ": { url: http://... } }"
                        : " (declared: " + String.join(", ", services.keySet()) + ")"));
            }

            Stage stage = Stage.MONOLITH;
            Optional<String> stageText = text(m, "stage", field + ".stage");
            if (stageText.isPresent()) {
                Optional<Stage> parsed = Stage.fromConfigName(stageText.get());
                if (parsed.isEmpty()) {
                    error(lineOf(m, "stage"), field + ".stage", "\"" + stageText.get() + "\" is not a stage; use one of "
                            + "monolith, shadow, canary, live, retired"
                            + suggestion(stageText.get(), Set.of("monolith", "shadow", "canary", "live", "retired")));
                } else {
                    stage = parsed.get();
                }
            }

            double percent = 0;
            Optional<String> percentText = text(m, "percent", field + ".percent");
            if (percentText.isPresent()) {
                String p = percentText.get().strip();
                try {
                    percent = Double.parseDouble(p.endsWith("%") ? p.substring(0, p.length() - 1) : p);
                    if (!(percent >= 0 && percent <= 100)) {
                        error(lineOf(m, "percent"), field + ".percent", p + " is outside 0..100");
                        percent = 0;
                    }
                } catch (NumberFormatException e) {
                    error(lineOf(m, "percent"), field + ".percent", "\"" + p + "\" is not a number; write e.g. percent: 10");
                }
            } else if (stage == Stage.CANARY) {
                error(m.line(), field + ".percent", "missing; a canary needs the share of users the service serves, "
                        + "e.g. percent: 5");
            }

            StickyKey sticky = StickyKey.DEFAULT;
            Optional<String> stickyText = text(m, "sticky", field + ".sticky");
            if (stickyText.isPresent()) {
                Optional<StickyKey> parsed = StickyKey.parse(stickyText.get());
                if (parsed.isEmpty()) {
                    error(lineOf(m, "sticky"), field + ".sticky", "\"" + stickyText.get() + "\" is not a sticky key; use "
                            + "header:NAME, cookie:NAME or client-ip");
                } else if (parsed.get() instanceof StickyKey.Header(String n) && !TOKEN.matcher(n).matches()
                        || parsed.get() instanceof StickyKey.Cookie(String c) && !TOKEN.matcher(c).matches()) {
                    // A name no client can send: every user would fall on the same side, silently.
                    error(lineOf(m, "sticky"), field + ".sticky", "\"" + stickyText.get() + "\" names no header or cookie a "
                            + "client could send (a name is letters, digits and !#$%&'*+.^_`|~-, no spaces)");
                } else {
                    sticky = parsed.get();
                }
            }

            FallbackPolicy fallback = FallbackPolicy.SAFE;
            Optional<String> fallbackText = text(m, "fallback", field + ".fallback");
            if (fallbackText.isPresent()) {
                switch (fallbackText.get()) {
                    case "safe" -> fallback = FallbackPolicy.SAFE;
                    case "all" -> fallback = FallbackPolicy.ALL;
                    case "none" -> fallback = FallbackPolicy.NONE;
                    default -> error(lineOf(m, "fallback"), field + ".fallback", "\"" + fallbackText.get()
                            + "\" is not a fallback policy; use safe (retry GET/HEAD/OPTIONS on the monolith), all, "
                            + "or none (never; reads cannot be answered stale by the monolith)");
                }
            }

            Optional<PathRewrite> rewrite = Optional.empty();
            Optional<String> rewriteText = text(m, "rewrite", field + ".rewrite");
            Optional<String> rewriteProblem = rewriteText.flatMap(WireText::pathProblem);
            if (rewriteProblem.isPresent()) {
                error(lineOf(m, "rewrite"), field + ".rewrite", "\"" + rewriteText.get() + "\" " + rewriteProblem.get());
            } else if (rewriteText.isPresent() && match != null) {
                try {
                    rewrite = Optional.of(PathRewrite.parse(rewriteText.get(), match.path()));
                } catch (IllegalArgumentException e) {
                    error(lineOf(m, "rewrite"), field + ".rewrite", e.getMessage());
                }
            }

            HeaderRules headers = requestHeaders(m, field);

            HostHeader hostHeader = HostHeader.KEEP;
            Optional<String> hostText = text(m, "host-header", field + ".host-header");
            if (hostText.isPresent()) {
                switch (hostText.get()) {
                    case "keep" -> hostHeader = HostHeader.KEEP;
                    case "service" -> hostHeader = HostHeader.SERVICE;
                    default -> error(lineOf(m, "host-header"), field + ".host-header", "\"" + hostText.get()
                            + "\" is not a choice; use keep (the client's Host) or service (the service URL's host)");
                }
            }

            ShadowSettings shadow = shadow(m, field);
            PromotionPlan plan = plan(m, field);

            if (errors.size() > errorsBefore || match == null || name.isEmpty() || service.isEmpty()) return null;
            return new Route(name.get(), match, service.get(), stage, percent, sticky, fallback, rewrite, headers, hostHeader,
                    shadow, plan);
        }

        private RouteMatch match(MapNode route, String routeField) {
            String field = routeField + ".match";
            Optional<MapNode> m = section(route, "match", field);
            if (m.isEmpty()) {
                if (!route.entries().containsKey("match")) {
                    error(route.line(), field, "missing; say what the route claims, e.g. match: { path: /api/posts/** }");
                }
                return null;
            }
            checkKeys(m.get(), field, MATCH_KEYS);
            PathPattern path = null;
            Optional<String> pathText = text(m.get(), "path", field + ".path");
            if (pathText.isEmpty()) {
                error(m.get().line(), field + ".path", "missing; e.g. path: /api/posts/{id}");
            } else if (WireText.pathProblem(pathText.get()).isPresent()) {
                error(lineOf(m.get(), "path"), field + ".path", "\"" + pathText.get() + "\" "
                        + WireText.pathProblem(pathText.get()).get() + " (request paths are matched normalised, so it could never match)");
            } else {
                try {
                    path = PathPattern.parse(pathText.get());
                } catch (IllegalArgumentException e) {
                    error(lineOf(m.get(), "path"), field + ".path", e.getMessage());
                }
            }
            Set<String> methods = new LinkedHashSet<>();
            Optional<Entry> methodsEntry = entry(m.get(), "methods");
            if (methodsEntry.isPresent()) {
                List<Scalar> items = methodsEntry.get().value() instanceof Scalar s && s.text() != null
                        ? List.of(s) : scalarList(m.get(), "methods", field + ".methods");
                for (Scalar s : items) {
                    String method = s.text().strip().toUpperCase(Locale.ROOT);
                    if (!TOKEN.matcher(method).matches()) {
                        error(s.line(), field + ".methods", "\"" + s.text() + "\" is not an HTTP method; write e.g. [GET, HEAD]");
                    } else {
                        methods.add(method);
                    }
                }
            }
            Optional<String> host = text(m.get(), "host", field + ".host").map(String::strip);
            if (host.isPresent() && !HOST.matcher(host.get()).matches()) {
                error(lineOf(m.get(), "host"), field + ".host", "\"" + host.get() + "\" is not a host name; write it "
                        + "without scheme or port, e.g. api.example.com");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            section(m.get(), "headers", field + ".headers").ifPresent(h -> {
                for (Entry e : h.entries().values()) {
                    if (!TOKEN.matcher(e.key()).matches()) {
                        error(e.line(), field + ".headers." + e.key(), "is not a valid header name");
                    } else if (e.value() instanceof Scalar s && s.text() != null) {
                        // A value no client can send would make a route that never matches.
                        WireText.headerValueProblem(s.text()).ifPresentOrElse(p -> error(e.line(), field + ".headers." + e.key(), p),
                                () -> headers.put(e.key(), s.text()));
                    } else {
                        error(e.line(), field + ".headers." + e.key(), "expected the header's exact value, found " + e.value().kind());
                    }
                }
            });
            if (path == null) return null;
            return new RouteMatch(methods, path, host, headers);
        }

        private ShadowSettings shadow(MapNode route, String routeField) {
            String field = routeField + ".shadow";
            Optional<MapNode> sh = section(route, "shadow", field);
            if (sh.isEmpty()) return ShadowSettings.DEFAULT;
            checkKeys(sh.get(), field, ordered("writes", "max-body-bytes", "max-concurrent", "ignore-paths", "noise-check", "in-canary", "redact", "arrays"));
            ShadowSettings d = ShadowSettings.DEFAULT;
            boolean writes = bool(sh.get(), "writes", field + ".writes", d.writes());
            int maxBody = positiveInt(sh.get(), "max-body-bytes", field + ".max-body-bytes", d.maxBodyBytes());
            if (maxBody > Limits.SHADOW_MAX_BODY_BYTES) {
                error(lineOf(sh.get(), "max-body-bytes"), field + ".max-body-bytes", maxBody + " is more than "
                        + Limits.SHADOW_MAX_BODY_BYTES + " (64 MiB): both responses are held in memory for every shadowed "
                        + "request; bodies above the limit are streamed and not compared");
                maxBody = d.maxBodyBytes();
            }
            int maxConcurrent = positiveInt(sh.get(), "max-concurrent", field + ".max-concurrent", d.maxConcurrent());
            List<String> ignore = new ArrayList<>();
            if (sh.get().entries().containsKey("ignore-paths")) {
                for (Scalar p : scalarList(sh.get(), "ignore-paths", field + ".ignore-paths")) {
                    if (!p.text().startsWith("$")) error(p.line(), field + ".ignore-paths", "\"" + p.text()
                            + "\" is not a JSON path; start it with $, e.g. $..updatedAt or $.items[*].id");
                    else ignore.add(p.text());
                }
            }
            boolean noiseCheck = bool(sh.get(), "noise-check", field + ".noise-check", d.noiseCheck());
            boolean inCanary = bool(sh.get(), "in-canary", field + ".in-canary", d.inCanary());
            List<String> redact = new ArrayList<>();
            if (sh.get().entries().containsKey("redact")) {
                scalarList(sh.get(), "redact", field + ".redact").forEach(n -> redact.add(n.text().strip()));
            }
            ArrayRule arrays = arrays(sh.get(), field + ".arrays");
            return new ShadowSettings(writes, maxBody, maxConcurrent, ignore, noiseCheck, inCanary, redact, arrays);
        }

        /** {@code arrays: ordered | unordered} or {@code arrays: { keyed-by: FIELD }}. */
        private ArrayRule arrays(MapNode shadow, String field) {
            Entry e = shadow.entries().get("arrays");
            if (e == null || e.value() instanceof Scalar s && s.text() == null) return ShadowSettings.DEFAULT.arrays();
            String hint = "write ordered, unordered or { keyed-by: id }";
            if (e.value() instanceof Scalar s) {
                String t = s.text().strip();
                if (t.equalsIgnoreCase("ordered")) return ArrayRule.ORDERED;
                if (t.equalsIgnoreCase("unordered")) return ArrayRule.UNORDERED;
                String words = t.startsWith("keyed-by") ? "; a key goes in a mapping: arrays: { keyed-by: id }"
                        : suggestion(t, Set.of("ordered", "unordered"));
                error(e.line(), field, "\"" + t + "\" is not an array rule" + words + " (" + hint + ")");
                return ShadowSettings.DEFAULT.arrays();
            }
            if (!(e.value() instanceof MapNode m)) {
                error(e.line(), field, "expected ordered, unordered or a mapping, found " + e.value().kind() + "; " + hint);
                return ShadowSettings.DEFAULT.arrays();
            }
            checkKeys(m, field, ordered("keyed-by"));
            Optional<String> key = text(m, "keyed-by", field + ".keyed-by").map(String::strip);
            if (key.isEmpty() || key.get().isEmpty()) {
                error(lineOf(m, "keyed-by"), field + ".keyed-by", "missing; name the member that identifies an element, e.g. keyed-by: id");
                return ShadowSettings.DEFAULT.arrays();
            }
            if (key.get().startsWith("$") || key.get().contains(".")) {
                error(lineOf(m, "keyed-by"), field + ".keyed-by", "\"" + key.get()
                        + "\" is not a member name; name the field inside each element, e.g. keyed-by: id");
                return ShadowSettings.DEFAULT.arrays();
            }
            return ArrayRule.keyedBy(key.get());
        }

        /** {@code automate}, {@code steps} and {@code gates}: how the controller moves the route forward. */
        private PromotionPlan plan(MapNode route, String routeField) {
            PromotionPlan d = PromotionPlan.DEFAULT;
            boolean automate = bool(route, "automate", routeField + ".automate", d.automate());
            List<Double> steps = d.steps();
            if (route.entries().containsKey("steps")) {
                String field = routeField + ".steps";
                List<Double> given = new ArrayList<>();
                for (Scalar s : scalarList(route, "steps", field)) {
                    String t = s.text().strip();
                    try {
                        given.add(Double.parseDouble(t.endsWith("%") ? t.substring(0, t.length() - 1) : t));
                    } catch (NumberFormatException e) {
                        error(s.line(), field, "\"" + t + "\" is not a percent; write e.g. steps: [1, 5, 25, 50, 100]");
                        return d;
                    }
                }
                try {
                    steps = new PromotionPlan(automate, given, d.gates()).steps();
                } catch (IllegalArgumentException e) {
                    error(lineOf(route, "steps"), field, given + " are not canary steps: give increasing percents above 0 "
                            + "and below 100, optionally ending with 100 (= live), e.g. steps: [1, 5, 25, 50, 100]");
                }
            }
            Gates gates = gates(route, routeField + ".gates");
            return new PromotionPlan(automate, steps, gates);
        }

        private Gates gates(MapNode route, String field) {
            Optional<MapNode> gs = section(route, "gates", field);
            Gates d = Gates.DEFAULT;
            if (gs.isEmpty()) return d;
            MapNode g = gs.get();
            checkKeys(g, field, ordered("min-requests", "min-time", "max-error-increase", "max-latency-increase",
                    "min-latency-increase", "min-match-rate", "confidence", "warm-up"));
            int minRequests = positiveInt(g, "min-requests", field + ".min-requests", (int) d.minRequests());
            Duration minTime = durationOrZero(g, "min-time", field, d.minTime(), Limits.MIN_TIME);
            Duration warmUp = durationOrZero(g, "warm-up", field, d.warmUp(), Limits.MIN_TIME);
            Duration minLatency = durationOrZero(g, "min-latency-increase", field, d.minLatencyIncrease(), Limits.DURATION);
            double maxError = fraction(g, "max-error-increase", field + ".max-error-increase", d.maxErrorIncrease(),
                    "an absolute increase of the error rate, e.g. 1% or 0.01", 0, 1, false);
            double maxLatency = fraction(g, "max-latency-increase", field + ".max-latency-increase", d.maxLatencyIncrease(),
                    "a relative increase of latency, e.g. 20% or 0.2", 0, 100, true);
            double minMatch = fraction(g, "min-match-rate", field + ".min-match-rate", d.minMatchRate(),
                    "a share of matching shadow comparisons, e.g. 99% or 0.99", 0, 1, true);
            double confidence = fraction(g, "confidence", field + ".confidence", d.confidence(),
                    "how sure a test must be, e.g. 95% or 0.95 (above 50%, below 100%)", 0.5, 1, false);
            if (confidence <= 0.5) {
                error(lineOf(g, "confidence"), field + ".confidence", "must be above 50%, e.g. 95%");
                confidence = d.confidence();
            }
            return new Gates(minRequests, minTime, maxError, maxLatency, minMatch, confidence, warmUp, minLatency);
        }

        /** A duration key that also accepts a plain {@code 0}. */
        private Duration durationOrZero(MapNode g, String key, String field, Duration fallback, Duration limit) {
            boolean zero = g.entries().containsKey(key)
                    && text(g, key, field + "." + key).map(t -> t.strip().equals("0")).orElse(false);
            return zero ? Duration.ZERO : duration(g, key, field + "." + key, fallback, limit);
        }

        /**
         * A share written as {@code 5%} or {@code 0.05}, within [min, max] ({@code max} itself allowed
         * when {@code maxIncluded}).
         */
        private double fraction(MapNode m, String key, String field, double fallback, String what, double min, double max,
                                boolean maxIncluded) {
            Optional<String> text = text(m, key, field);
            if (text.isEmpty()) return fallback;
            String t = text.get().strip();
            try {
                double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
                if (v >= min && (maxIncluded ? v <= max : v < max)) return v;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            error(lineOf(m, key), field, "\"" + t + "\" is not " + what);
            return fallback;
        }

        private HeaderRules requestHeaders(MapNode route, String routeField) {
            String field = routeField + ".request-headers";
            Optional<MapNode> h = section(route, "request-headers", field);
            if (h.isEmpty()) return HeaderRules.NONE;
            checkKeys(h.get(), field, ordered("set", "remove"));
            Map<String, String> set = new LinkedHashMap<>();
            section(h.get(), "set", field + ".set").ifPresent(s -> {
                for (Entry e : s.entries().values()) {
                    String f = field + ".set." + e.key();
                    if (!TOKEN.matcher(e.key()).matches()) {
                        error(e.line(), f, "is not a valid header name");
                    } else if (e.key().equalsIgnoreCase("host")) {
                        error(e.line(), f, "Host is chosen with host-header: keep | service");
                    } else if (WireText.isFraming(e.key())) {
                        error(e.line(), f, WireText.framingProblem(e.key()));
                    } else if (e.value() instanceof Scalar v && v.text() != null) {
                        WireText.headerValueProblem(v.text()).ifPresentOrElse(p -> error(e.line(), f, p),
                                () -> set.put(e.key(), v.text()));
                    } else {
                        error(e.line(), f, "expected a header value, found " + e.value().kind());
                    }
                }
            });
            Set<String> remove = new LinkedHashSet<>();
            if (h.get().entries().containsKey("remove")) {
                for (Scalar s : scalarList(h.get(), "remove", field + ".remove")) {
                    if (!TOKEN.matcher(s.text()).matches()) error(s.line(), field + ".remove", "\"" + s.text() + "\" is not a valid header name");
                    else if (WireText.isFraming(s.text())) error(s.line(), field + ".remove", WireText.framingProblem(s.text()));
                    else remove.add(s.text());
                }
            }
            return new HeaderRules(set, remove);
        }

        // ---- typed values ------------------------------------------------------------------

        private HostPort hostPort(MapNode m, String key, String field, String fallback) {
            Optional<String> text = text(m, key, field);
            if (text.isEmpty()) return HostPort.parse(fallback).orElseThrow();
            Optional<HostPort> parsed = HostPort.parse(text.get());
            if (parsed.isEmpty()) {
                error(lineOf(m, key), field, "\"" + text.get() + "\" is not HOST:PORT (port 0..65535); write e.g. " + fallback);
                return HostPort.parse(fallback).orElseThrow();
            }
            String host = parsed.get().host();
            if (!HOST.matcher(host).matches() && !(host.contains(":") && host.matches("[0-9A-Fa-f:.]+"))) {
                error(lineOf(m, key), field, "\"" + host + "\" is not a host name or IP address; write e.g. " + fallback);
                return HostPort.parse(fallback).orElseThrow();
            }
            return parsed.get();
        }

        private Duration duration(MapNode m, String key, String field, Duration fallback) {
            return duration(m, key, field, fallback, Limits.DURATION);
        }

        /** A positive duration of at most {@code max}: a number and a unit, or ISO-8601 ({@code PT2S}). */
        private Duration duration(MapNode m, String key, String field, Duration fallback, Duration max) {
            Optional<String> text = text(m, key, field);
            if (text.isEmpty()) return fallback;
            String t = text.get().strip();
            var matcher = DURATION.matcher(t);
            Duration d = null;
            boolean tooLarge = false;
            if (matcher.matches()) {
                try {
                    long n = Long.parseLong(matcher.group(1));
                    d = switch (matcher.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                } catch (NumberFormatException | ArithmeticException overflow) {
                    tooLarge = true; // more digits than a long holds, or more seconds than a Duration does
                }
            } else if (t.startsWith("PT") || t.startsWith("pt") || t.startsWith("P") || t.startsWith("p")) {
                try {
                    d = Duration.parse(t);
                } catch (DateTimeParseException e) {
                    tooLarge = e.getCause() instanceof ArithmeticException;
                }
            }
            if (tooLarge || d != null && d.compareTo(max) > 0) {
                error(lineOf(m, key), field, "\"" + t + "\" is too long; at most " + readable(max) + " (a larger value is a "
                        + "typo, and would overflow at run time)");
                return fallback;
            }
            if (d == null) {
                error(lineOf(m, key), field, "\"" + t + "\" is not a duration; write a number and a unit: 500ms, 2s, 1m, 1h, 1d");
                return fallback;
            }
            if (d.isZero() || d.isNegative()) {
                error(lineOf(m, key), field, "must be greater than zero");
                return fallback;
            }
            return d;
        }

        private static String readable(Duration d) {
            if (d.toHours() % 24 == 0 && d.toDays() > 0) return d.toDays() + "d";
            if (d.toMinutes() % 60 == 0 && d.toHours() > 0) return d.toHours() + "h";
            if (d.toSeconds() % 60 == 0 && d.toMinutes() > 0) return d.toMinutes() + "m";
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }

        private int nonNegativeInt(MapNode m, String key, String field, int fallback) {
            Optional<String> text = text(m, key, field);
            if (text.isEmpty()) return fallback;
            try {
                int n = Integer.parseInt(text.get().strip());
                if (n >= 0) return n;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            error(lineOf(m, key), field, "\"" + text.get() + "\" is not a whole number, 0 or more");
            return fallback;
        }

        private int positiveInt(MapNode m, String key, String field, int fallback) {
            Optional<String> text = text(m, key, field);
            if (text.isEmpty()) return fallback;
            try {
                int n = Integer.parseInt(text.get().strip());
                if (n > 0) return n;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            error(lineOf(m, key), field, "\"" + text.get() + "\" is not a whole number greater than zero");
            return fallback;
        }

        private boolean bool(MapNode m, String key, String field, boolean fallback) {
            Optional<String> text = text(m, key, field);
            if (text.isEmpty()) return fallback;
            return switch (text.get().strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> {
                    error(lineOf(m, key), field, "\"" + text.get() + "\" is not true or false");
                    yield fallback;
                }
            };
        }

        /**
         * Whether a readable file holds the PEM block it should (reported otherwise): a wrong file
         * passes a readability check and fails only when the listener or the first https connection starts.
         */
        private boolean isPem(Path path, MapNode m, String key, String field, PemFile expected) {
            String text;
            try {
                text = new String(Files.readAllBytes(path), java.nio.charset.StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                error(lineOf(m, key), field, path + " cannot be read (" + e.getMessage() + ")");
                return false;
            }
            if (expected.isIn(text)) return true;
            error(lineOf(m, key), field, path + " holds no " + expected.description() + " (expected a PEM file with a \""
                    + expected.marker() + "\" line)");
            return false;
        }

        private Optional<Path> readableFile(MapNode m, String key, String field, boolean required) {
            Optional<String> text = text(m, key, field);
            if (text.isEmpty()) {
                if (required) error(m.line(), field, "missing; give the path of the PEM file");
                return Optional.empty();
            }
            Path path = directory.resolve(text.get().strip()).normalize();
            if (!Files.isReadable(path)) {
                error(lineOf(m, key), field, path + " does not exist or is not readable (relative paths are resolved "
                        + "against the config file's directory)");
                return Optional.empty();
            }
            return Optional.of(path);
        }

        // ---- structure helpers -------------------------------------------------------------

        private static Optional<Entry> entry(MapNode m, String key) {
            return Optional.ofNullable(m.entries().get(key));
        }

        /** A nested mapping; absent or empty ({@code key:}) gives empty; anything else is an error. */
        private Optional<MapNode> section(MapNode parent, String key, String field) {
            Entry e = parent.entries().get(key);
            if (e == null || e.value() instanceof Scalar s && s.text() == null) return Optional.empty();
            if (e.value() instanceof MapNode m) return Optional.of(m);
            error(e.line(), field, "expected a mapping (key: value pairs), found " + e.value().kind());
            return Optional.empty();
        }

        /** A scalar as text; absent or empty gives empty; a mapping or list is an error. */
        private Optional<String> text(MapNode m, String key, String field) {
            Entry e = m.entries().get(key);
            if (e == null) return Optional.empty();
            if (e.value() instanceof Scalar s) return Optional.ofNullable(s.text());
            error(e.line(), field, "expected a single value, found " + e.value().kind());
            return Optional.empty();
        }

        private List<Scalar> scalarList(MapNode m, String key, String field) {
            Entry e = m.entries().get(key);
            if (e == null) return List.of();
            if (!(e.value() instanceof ListNode list)) {
                error(e.line(), field, "expected a list such as [a, b], found " + e.value().kind());
                return List.of();
            }
            List<Scalar> out = new ArrayList<>();
            for (Node n : list.items()) {
                if (n instanceof Scalar s && s.text() != null) out.add(s);
                else error(n.line(), field, "expected a single value in the list, found " + n.kind());
            }
            return out;
        }

        private static int lineOf(MapNode m, String key) {
            Entry e = m.entries().get(key);
            return e == null ? m.line() : e.line();
        }

        private void checkKeys(MapNode m, String field, Set<String> allowed) {
            for (Entry e : m.entries().values()) {
                if (allowed.contains(e.key())) continue;
                String path = field.isEmpty() ? e.key() : field + "." + e.key();
                error(e.line(), path, "unknown key" + suggestion(e.key(), allowed) + " (allowed here: "
                        + String.join(", ", allowed) + ")");
            }
        }

        private void error(int line, String field, String message) {
            errors.add(new ConfigError(file, line, field, message));
        }

        private List<ConfigError> sorted() {
            return errors.stream().sorted(Comparator.comparingInt(ConfigError::line)).toList();
        }
    }

    /** "; did you mean X?" for the closest known word within a small edit distance, else "". */
    static String suggestion(String given, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(given.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, given.length() / 3);
        return best != null && bestDistance <= allowed ? "; did you mean " + best + "?" : "";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Set<String> ordered(String... keys) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }
}
