package dev.strangler.core.config;

import dev.strangler.core.config.YamlTree.Entry;
import dev.strangler.core.config.YamlTree.MapNode;
import dev.strangler.core.config.YamlTree.Node;
import dev.strangler.core.routing.Route;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.strangler.core.config.ConfigFields.entry;
import static dev.strangler.core.config.ConfigFields.lineOf;
import static dev.strangler.core.config.ConfigFields.ordered;

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
 *
 * <p>The work is split by section: {@link ConfigFields} holds the errors and the typed field readers;
 * {@link TopLevelSections}, {@link BackendSections} and {@link RouteSections} (with {@link ShadowSection}
 * and {@link PlanSection}) each read their part of the file. This class only puts them in order.
 */
public final class ConfigLoader {

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
        return read(yaml, file, env);
    }

    private static final Set<String> TOP_LEVEL = ordered("listen", "tls", "admin", "store", "access-log", "debug-headers",
            "shutdown", "client", "controller", "catalog", "monolith", "services", "routes");

    /** One pass over one file: collects every error instead of stopping at the first. */
    private static GatewayConfig read(String yaml, Path file, Map<String, String> env) throws ConfigException {
        ConfigFields fields = new ConfigFields(file);
        EnvSubstitution.Result substituted = EnvSubstitution.apply(yaml, env);
        substituted.problems().forEach(p -> fields.error(p.line(), "", p.message()));

        List<YamlTree.Duplicate> duplicates = new ArrayList<>();
        Node root;
        try {
            root = YamlTree.parse(substituted.text(), duplicates);
        } catch (YamlTree.SyntaxError e) {
            fields.error(e.line, "", e.getMessage());
            throw new ConfigException(fields.errors());
        }
        duplicates.forEach(d -> fields.error(d.line(), d.key(), "given twice (first on line " + d.firstLine()
                + "); keep one"));
        if (!(root instanceof MapNode top)) {
            fields.error(root.line(), "", "expected a mapping of settings (listen:, monolith:, services:, routes: ...), found "
                    + root.kind());
            throw new ConfigException(fields.errors());
        }
        fields.checkKeys(top, "", TOP_LEVEL);

        TopLevelSections sections = new TopLevelSections(fields);
        HostPort listen = fields.hostPort(top, "listen", "listen", Defaults.LISTEN);
        Optional<TlsFiles> tls = sections.tls(top);
        AdminSettings admin = sections.admin(top);
        if (listen.port() != 0 && listen.port() == admin.listen().port()
                && Addresses.sameSocket(listen, admin.listen())) {
            // Vert.x would share the port between both servers and answer user requests with the admin API now and then.
            fields.error(lineOf(top, "admin"), "admin.listen", admin.listen() + " is the address user traffic listens on ("
                    + listen + "); give the admin API its own port, e.g. 127.0.0.1:9090");
        }
        String storeUrl = sections.store(top);
        boolean accessLog = fields.bool(top, "access-log", "access-log", Defaults.ACCESS_LOG);
        boolean debugHeaders = fields.bool(top, "debug-headers", "debug-headers", Defaults.DEBUG_HEADERS);
        Duration drain = sections.shutdown(top);
        ClientTimeouts client = sections.client(top);
        Duration controllerInterval = sections.controller(top);
        CatalogSettings catalog = sections.catalog(top);

        BackendSections backends = new BackendSections(fields, List.of(listen, admin.listen()));
        Backend monolith = null;
        Optional<Entry> monolithEntry = entry(top, "monolith");
        if (monolithEntry.isEmpty()) {
            fields.error(top.line(), "monolith", "missing; name the monolith every unclaimed request goes to, "
                    + "e.g. monolith: { url: http://127.0.0.1:8081 }");
        } else {
            monolith = backends.backend(Backend.MONOLITH, monolithEntry.get(), "monolith");
        }
        Map<String, Backend> services = backends.services(top);
        List<Route> routes = new RouteSections(fields).routes(top, services);

        if (fields.hasErrors() || monolith == null) throw new ConfigException(fields.sorted());
        return new GatewayConfig(Optional.of(file), listen, tls, admin, storeUrl, monolith, services, routes,
                accessLog, drain, controllerInterval, catalog, client, debugHeaders);
    }
}
