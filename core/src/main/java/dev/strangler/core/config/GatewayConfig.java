package dev.strangler.core.config;

import dev.strangler.core.routing.Route;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole, validated configuration. Immutable: a reload builds a new one and swaps it in.
 *
 * @param source    the file it was read from (for messages); empty when built in code
 * @param services  by name; every route's {@code service} is a key here (validation guarantees it)
 * @param routes    in file order; the routing table orders them by specificity
 * @param controllerInterval how often the controller judges routes and each gateway writes its metric windows
 * @param catalog   whether the gateway learns the endpoint catalog from its traffic, and its OpenAPI seed
 * @param client    how long the user listener waits on slow or idle clients
 * @param debugHeaders whether responses to routed requests carry {@code X-Strangler-Route} and
 *                  {@code X-Strangler-Stage} (config key {@code debug-headers}; default {@link Defaults#DEBUG_HEADERS})
 */
public record GatewayConfig(
        Optional<Path> source,
        HostPort listen,
        Optional<TlsFiles> tls,
        AdminSettings admin,
        String storeUrl,
        Backend monolith,
        Map<String, Backend> services,
        List<Route> routes,
        boolean accessLog,
        Duration drainTimeout,
        Duration controllerInterval,
        CatalogSettings catalog,
        ClientTimeouts client,
        boolean debugHeaders) {

    /** A config without the debugging response headers ({@link Defaults#DEBUG_HEADERS}). */
    public GatewayConfig(Optional<Path> source, HostPort listen, Optional<TlsFiles> tls, AdminSettings admin, String storeUrl,
                         Backend monolith, Map<String, Backend> services, List<Route> routes, boolean accessLog,
                         Duration drainTimeout, Duration controllerInterval, CatalogSettings catalog, ClientTimeouts client) {
        this(source, listen, tls, admin, storeUrl, monolith, services, routes, accessLog, drainTimeout, controllerInterval,
                catalog, client, Defaults.DEBUG_HEADERS);
    }

    /** A config with the default {@link Defaults#CLIENT client timeouts}. */
    public GatewayConfig(Optional<Path> source, HostPort listen, Optional<TlsFiles> tls, AdminSettings admin, String storeUrl,
                         Backend monolith, Map<String, Backend> services, List<Route> routes, boolean accessLog,
                         Duration drainTimeout, Duration controllerInterval, CatalogSettings catalog) {
        this(source, listen, tls, admin, storeUrl, monolith, services, routes, accessLog, drainTimeout, controllerInterval,
                catalog, Defaults.CLIENT);
    }

    public GatewayConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(storeUrl, "storeUrl");
        Objects.requireNonNull(monolith, "monolith");
        services = Map.copyOf(services);
        routes = List.copyOf(routes);
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(controllerInterval, "controllerInterval");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(client, "client");
        for (Route r : routes) {
            if (!services.containsKey(r.service()))
                throw new IllegalArgumentException("route " + r.name() + ": service " + r.service() + " is not declared");
        }
    }

    /** The smallest config: a monolith, services and routes on ephemeral ports, a private in-memory store, everything else default. */
    public static GatewayConfig of(Backend monolith, Map<String, Backend> services, List<Route> routes) {
        return new GatewayConfig(Optional.empty(), new HostPort("127.0.0.1", 0), Optional.empty(),
                new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()), inMemoryStore(),
                monolith, services, routes, Defaults.ACCESS_LOG, Defaults.DRAIN_TIMEOUT,
                Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
    }

    /**
     * A private in-memory state store for a config built in code (tests, embedding): nothing is
     * written to the working directory, and two such configs never share state.
     */
    public static String inMemoryStore() {
        return "jdbc:h2:mem:strangler-" + java.util.UUID.randomUUID();
    }

    /** {@link #storeUrl()} with any password hidden: what logs, {@code /health} and reload messages show. */
    public String storeUrlRedacted() {
        return redactUrl(storeUrl);
    }

    /** Hides {@code password=...} parameters and {@code user:password@} credentials in a JDBC URL. */
    public static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@");
    }

    public Backend service(String name) {
        Backend b = services.get(name);
        if (b == null) throw new IllegalArgumentException("service " + name + " is not declared");
        return b;
    }

    public GatewayConfig withRoutes(List<Route> newRoutes) {
        return new GatewayConfig(source, listen, tls, admin, storeUrl, monolith, services, newRoutes, accessLog, drainTimeout, controllerInterval, catalog, client, debugHeaders);
    }

    public GatewayConfig withListen(HostPort newListen) {
        return new GatewayConfig(source, newListen, tls, admin, storeUrl, monolith, services, routes, accessLog, drainTimeout, controllerInterval, catalog, client, debugHeaders);
    }

    public GatewayConfig withTls(Optional<TlsFiles> newTls) {
        return new GatewayConfig(source, listen, newTls, admin, storeUrl, monolith, services, routes, accessLog, drainTimeout, controllerInterval, catalog, client, debugHeaders);
    }

    public GatewayConfig withDrainTimeout(Duration timeout) {
        return new GatewayConfig(source, listen, tls, admin, storeUrl, monolith, services, routes, accessLog, timeout, controllerInterval, catalog, client, debugHeaders);
    }

    public GatewayConfig withAccessLog(boolean enabled) {
        return new GatewayConfig(source, listen, tls, admin, storeUrl, monolith, services, routes, enabled, drainTimeout, controllerInterval, catalog, client, debugHeaders);
    }

    public GatewayConfig withStoreUrl(String url) {
        return new GatewayConfig(source, listen, tls, admin, url, monolith, services, routes, accessLog, drainTimeout, controllerInterval, catalog, client, debugHeaders);
    }

    public GatewayConfig withCatalog(CatalogSettings settings) {
        return new GatewayConfig(source, listen, tls, admin, storeUrl, monolith, services, routes, accessLog, drainTimeout,
                controllerInterval, settings, client, debugHeaders);
    }

    public GatewayConfig withClientTimeouts(ClientTimeouts timeouts) {
        return new GatewayConfig(source, listen, tls, admin, storeUrl, monolith, services, routes, accessLog, drainTimeout,
                controllerInterval, catalog, timeouts, debugHeaders);
    }

    public GatewayConfig withDebugHeaders(boolean enabled) {
        return new GatewayConfig(source, listen, tls, admin, storeUrl, monolith, services, routes, accessLog, drainTimeout,
                controllerInterval, catalog, client, enabled);
    }

    public GatewayConfig withControllerInterval(Duration interval) {
        return new GatewayConfig(source, listen, tls, admin, storeUrl, monolith, services, routes, accessLog, drainTimeout, interval, catalog, client, debugHeaders);
    }
}
