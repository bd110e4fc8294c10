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
        Duration drainTimeout) {

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
        for (Route r : routes) {
            if (!services.containsKey(r.service()))
                throw new IllegalArgumentException("route " + r.name() + ": service " + r.service() + " is not declared");
        }
    }

    /** The smallest config: a monolith, services and routes on ephemeral ports, everything else default. */
    public static GatewayConfig of(Backend monolith, Map<String, Backend> services, List<Route> routes) {
        return new GatewayConfig(Optional.empty(), new HostPort("127.0.0.1", 0), Optional.empty(),
                new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()), Defaults.STORE_URL,
                monolith, services, routes, Defaults.ACCESS_LOG, Defaults.DRAIN_TIMEOUT);
    }

    public Backend service(String name) {
        Backend b = services.get(name);
        if (b == null) throw new IllegalArgumentException("service " + name + " is not declared");
        return b;
    }

    public GatewayConfig withRoutes(List<Route> newRoutes) {
        return new GatewayConfig(source, listen, tls, admin, storeUrl, monolith, services, newRoutes, accessLog, drainTimeout);
    }

    public GatewayConfig withListen(HostPort newListen) {
        return new GatewayConfig(source, newListen, tls, admin, storeUrl, monolith, services, routes, accessLog, drainTimeout);
    }

    public GatewayConfig withTls(Optional<TlsFiles> newTls) {
        return new GatewayConfig(source, listen, newTls, admin, storeUrl, monolith, services, routes, accessLog, drainTimeout);
    }

    public GatewayConfig withDrainTimeout(Duration timeout) {
        return new GatewayConfig(source, listen, tls, admin, storeUrl, monolith, services, routes, accessLog, timeout);
    }

    public GatewayConfig withAccessLog(boolean enabled) {
        return new GatewayConfig(source, listen, tls, admin, storeUrl, monolith, services, routes, enabled, drainTimeout);
    }
}
