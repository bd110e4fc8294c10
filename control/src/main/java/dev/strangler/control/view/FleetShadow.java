package dev.strangler.control.view;

import dev.strangler.control.migration.ServiceDigest;
import dev.strangler.control.sync.ShadowSummaryJson;
import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.shadow.RouteShadowSummary;
import dev.strangler.core.shadow.ShadowKey;
import dev.strangler.core.shadow.ShadowResult;
import dev.strangler.core.shadow.ShadowResults;
import dev.strangler.core.shadow.ShadowSum;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoreException;
import dev.strangler.store.StoredShadowResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The shadow results of the fleet: every gateway's rows in the store added up per (route, service,
 * service digest), with this gateway's own rows replaced by its live results (fresher than its last
 * write). The route's current key comes from the config served now, so the report names the service
 * being compared and lists results against earlier services apart.
 *
 * <p>{@link #keyOf} is also what the gateway records comparisons under; it runs on the event loop and
 * only hashes a service definition (cached).
 */
public final class FleetShadow {
    private static final Logger LOG = LoggerFactory.getLogger(FleetShadow.class);
    private static final int DIGEST_CACHE_LIMIT = 1024;
    private static final Map<Backend, String> DIGESTS = new ConcurrentHashMap<>();

    private final StateStore store;
    private final ShadowResults local;
    private final String gateway;
    private final Supplier<GatewayConfig> config;
    private final Clock clock;

    /**
     * @param gateway the name this gateway's rows carry in the store
     * @param config  the config served now
     */
    public FleetShadow(StateStore store, ShadowResults local, String gateway, Supplier<GatewayConfig> config, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.local = Objects.requireNonNull(local, "local");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The key a route's comparisons go under in {@code config}: its service and that service's digest. */
    public static ShadowKey keyOf(GatewayConfig config, String route) {
        for (Route r : config.routes()) {
            if (!r.name().equals(route)) continue;
            Backend service = config.services().get(r.service());
            if (service == null) return new ShadowKey(route, r.service(), "");
            String digest = DIGESTS.get(service);
            if (digest == null) {
                if (DIGESTS.size() >= DIGEST_CACHE_LIMIT) DIGESTS.clear();
                digest = ServiceDigest.of(service);
                DIGESTS.put(service, digest);
            }
            return new ShadowKey(route, r.service(), digest);
        }
        return ShadowKey.ofRoute(route);
    }

    /** The route's report; empty when no gateway recorded anything for it. Blocking. */
    public Optional<ShadowReport> report(String route) {
        Objects.requireNonNull(route, "route");
        ShadowKey current = keyOf(config.get(), route);
        boolean fleet = true;
        List<StoredShadowResult> rows;
        try {
            rows = store.shadowResults(route);
        } catch (StoreException unreachable) {
            rows = List.of();
            fleet = false;
        }
        Instant now = clock.instant();
        // per target, its parts freshest first: this gateway's live results, then the stored rows by update time
        Map<List<String>, List<Part>> byTarget = new LinkedHashMap<>();
        Map<List<String>, Instant> ownFirstSeen = new LinkedHashMap<>();
        for (StoredShadowResult row : rows) {
            if (row.gateway().equals(gateway)) ownFirstSeen.put(target(row.service(), row.serviceDigest()), row.firstSeen());
        }
        for (ShadowResult r : local.results()) {
            if (!r.key().route().equals(route) || r.summary().comparisons() + r.summary().droppedTotal() == 0) continue;
            List<String> target = target(r.key().service(), r.key().serviceDigest());
            byTarget.computeIfAbsent(target, k -> new ArrayList<>())
                    .add(new Part(gateway, Optional.ofNullable(ownFirstSeen.get(target)), now, r.summary()));
        }
        for (StoredShadowResult row : rows) {
            if (row.gateway().equals(gateway)) continue; // replaced by the live results above
            try {
                byTarget.computeIfAbsent(target(row.service(), row.serviceDigest()), k -> new ArrayList<>())
                        .add(new Part(row.gateway(), Optional.of(row.firstSeen()), row.updatedAt(), ShadowSummaryJson.read(row.summary())));
            } catch (IllegalArgumentException corrupt) {
                LOG.warn("skipping the shadow results of route {} from gateway {}: {}", route, row.gateway(), corrupt.getMessage());
            }
        }
        if (byTarget.isEmpty()) return Optional.empty();
        List<Part> mine = byTarget.getOrDefault(target(current.service(), current.serviceDigest()), List.of());
        RouteShadowSummary sum = ShadowSum.of(route, mine.stream().map(Part::summary).toList(),
                local.options().maxSamplesPerRoute());
        Set<String> gateways = new HashSet<>();
        mine.forEach(p -> gateways.add(p.gateway()));
        Optional<Instant> since = mine.stream().flatMap(p -> p.firstSeen().stream()).min(Comparator.naturalOrder());
        if (since.isEmpty() && !mine.isEmpty()) since = Optional.of(now);
        List<ShadowReport.Older> older = new ArrayList<>();
        byTarget.forEach((target, parts) -> {
            if (target.equals(target(current.service(), current.serviceDigest()))) return;
            long comparisons = parts.stream().mapToLong(p -> p.summary().comparisons()).sum();
            long matches = parts.stream().mapToLong(p -> p.summary().matches()).sum();
            Instant last = parts.stream().map(Part::updated).max(Comparator.naturalOrder()).orElse(now);
            older.add(new ShadowReport.Older(target.get(0), target.get(1), comparisons, matches, last));
        });
        older.sort(Comparator.comparing(ShadowReport.Older::lastUpdated).reversed());
        return Optional.of(new ShadowReport(route, current.service(), current.serviceDigest(), fleet, gateways.size(), since,
                sum, older));
    }

    private static List<String> target(String service, String digest) {
        return List.of(service, digest);
    }

    private record Part(String gateway, Optional<Instant> firstSeen, Instant updated, RouteShadowSummary summary) {}
}
