package dev.strangler.control.sync;

import dev.strangler.core.shadow.RouteShadowSummary;
import dev.strangler.core.shadow.ShadowKey;
import dev.strangler.core.shadow.ShadowResult;
import dev.strangler.core.shadow.ShadowResults;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoredShadowResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes this gateway's shadow results to the store, where every gateway's are added up: each key
 * (route, service, service digest) whose counts moved since the last write is written whole (a
 * gateway's results are cumulative over its life, so a row replaces the previous one, like the
 * catalog). A key that no longer moves keeps the time of its last change, so results against a service
 * the route left age out {@link #RETENTION} after their last comparison. Runs on the sync thread;
 * every method blocks on the database.
 */
public final class ShadowFlush {
    /** How long shadow results are kept after their last change: as long as the metric windows are. */
    public static final Duration RETENTION = Duration.ofDays(7);
    /** How often old results are pruned. */
    static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final ShadowResults results;
    private final StateStore store;
    private final String gateway;
    private final Clock clock;
    private final Map<ShadowKey, Instant> firstSeen = new HashMap<>();
    private final Map<ShadowKey, List<Long>> written = new HashMap<>();
    private final Map<ShadowKey, Instant> changed = new HashMap<>();
    private Instant lastPrune = Instant.MIN;

    public ShadowFlush(ShadowResults results, StateStore store, String gateway, Clock clock) {
        this.results = Objects.requireNonNull(results, "results");
        this.store = Objects.requireNonNull(store, "store");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The name this gateway's rows carry. */
    public String gateway() {
        return gateway;
    }

    /** Writes every key that changed since the last write, and prunes old rows now and then. Blocking. */
    public void flush() {
        Instant now = clock.instant();
        for (ShadowResult result : results.results()) {
            RouteShadowSummary s = result.summary();
            ShadowKey key = result.key();
            Instant first = firstSeen.computeIfAbsent(key, k -> now);
            List<Long> counts = List.of(s.comparisons(), s.matches(), s.droppedTotal());
            if (counts.equals(written.get(key))) continue;
            store.saveShadowResult(new StoredShadowResult(gateway, key.route(), key.service(), key.serviceDigest(), first, now,
                    s.comparisons(), s.matches(), ShadowSummaryJson.stored(s))); // throws when unreachable: retried next time
            written.put(key, counts);
            changed.put(key, now);
        }
        if (!now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
            Instant cutoff = now.minus(RETENTION);
            store.pruneShadowResults(cutoff);
            // what aged out of the store ages out of memory too: it is not shown, nor written again
            changed.entrySet().removeIf(e -> {
                if (!e.getValue().isBefore(cutoff)) return false;
                results.forget(e.getKey());
                written.remove(e.getKey());
                firstSeen.remove(e.getKey());
                return true;
            });
            lastPrune = now;
        }
    }
}
