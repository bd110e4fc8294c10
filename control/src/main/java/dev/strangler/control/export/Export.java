package dev.strangler.control.export;

import dev.strangler.control.export.istio.IstioManifests;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Position;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.Stage;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.StateStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One export: the config's routes moved to their runtime positions, rendered for an engine.
 *
 * <p>The positions are the identity of an export: {@code --watch} rewrites the files only when
 * they differ from the last export's, so an engine is reloaded once per move, not once per poll.
 */
public record Export(ExportFormat format, GatewayConfig config, Map<String, Position> positions, String text) {
    /** The audit log's actor and action for an export. */
    public static final String ACTOR = "export";
    public static final String ACTION = "export";
    /** The Gateway the exported HTTPRoutes (parentRefs) and Istio VirtualServices (gateways) attach to. */
    public static final String GATEWAY = "strangler";
    /** {@code --replicas} and {@code --image} of {@code --format kubernetes} when not given. */
    public static final int DEFAULT_REPLICAS = 2;
    public static final String DEFAULT_IMAGE = "strangler:latest";

    public Export {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(config, "config");
        positions = Map.copyOf(positions);
        Objects.requireNonNull(text, "text");
    }

    /** Renders the file's routes at {@code positions} (a route missing from it keeps the file's position). */
    public static Export of(ExportFormat format, GatewayConfig file, Map<String, Position> positions) {
        return of(format, file, positions, new FleetManifests.Fleet(DEFAULT_REPLICAS, DEFAULT_IMAGE, ""));
    }

    /** As {@link #of(ExportFormat, GatewayConfig, Map)}, with what {@code --format kubernetes} needs beyond the config. */
    public static Export of(ExportFormat format, GatewayConfig file, Map<String, Position> positions, FleetManifests.Fleet fleet) {
        return of(format, file, positions, Set.of(), fleet);
    }

    /**
     * As {@link #of(ExportFormat, GatewayConfig, Map, FleetManifests.Fleet)}, where the routes named in
     * {@code legacyStickyHash} are canaries still drawing users with {@link BucketFunction#LEGACY} (the
     * store's {@code stickyHash}): the NGINX file says its split differs from Strangler's. Only
     * positions identify an export: a route drops the legacy function only by leaving canary.
     */
    public static Export of(ExportFormat format, GatewayConfig file, Map<String, Position> positions, Set<String> legacyStickyHash,
                            FleetManifests.Fleet fleet) {
        Objects.requireNonNull(legacyStickyHash, "legacyStickyHash");
        List<Route> routes = new ArrayList<>();
        Map<String, Position> applied = new LinkedHashMap<>();
        for (Route r : file.routes()) {
            Route at = positions.containsKey(r.name()) ? r.at(positions.get(r.name())) : r;
            if (legacyStickyHash.contains(r.name()) && at.stage() == Stage.CANARY) at = at.withStickyHash(BucketFunction.LEGACY);
            routes.add(at);
            applied.put(at.name(), at.position());
        }
        NginxConfig.checkNames(routes);
        GatewayConfig moved = file.withRoutes(routes);
        String text = switch (format) {
            case NGINX -> NginxConfig.render(moved);
            case GATEWAY_API -> GatewayApiManifests.render(moved, GATEWAY);
            case ISTIO -> IstioManifests.render(moved, GATEWAY);
            case KUBERNETES -> FleetManifests.render(moved, fleet);
        };
        return new Export(format, moved, applied, text);
    }

    /** Writes the file under {@code dir} atomically (a reloading engine never reads half a file); blocking. */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(format.fileName());
        Path tmp = Files.createTempFile(dir, "." + format.fileName(), ".tmp");
        Files.writeString(tmp, text);
        return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One audit entry per route: its position as handed to the engine, actor {@value #ACTOR}. Blocking (JDBC). */
    public void audit(StateStore store, Instant at, String where) {
        for (Route r : config.routes()) {
            Position p = r.position();
            store.audit(new AuditEntry(0, at, r.name(), ACTOR, ACTION, p.stage(), p.percent(), p.stage(), p.percent(),
                    "exported to " + format.cliName() + " (" + where + ")", List.of()));
        }
    }
}
