package dev.strangler.gateway.proxy;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.coupling.ClientKeys;
import dev.strangler.core.routing.RouteTable;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a request needs from the configuration, built once per config and swapped
 * atomically. A request reads the snapshot once at its start and keeps it, so in-flight requests
 * finish on the config they started with while new ones see the new one.
 *
 * @param clientKeys which header or cookie tells one client apart, for the catalog's coupling
 */
public record RoutingState(GatewayConfig config, RouteTable table, Set<Backend> backends, ClientKeys clientKeys) {
    public RoutingState {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(table, "table");
        backends = Set.copyOf(backends);
        Objects.requireNonNull(clientKeys, "clientKeys");
    }

    public static RoutingState of(GatewayConfig config) {
        Set<Backend> backends = new HashSet<>(config.services().values());
        backends.add(config.monolith());
        return new RoutingState(config, RouteTable.of(config.routes()), backends, ClientKeys.of(config.routes()));
    }
}
