package dev.strangler.control.view;

import dev.strangler.store.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import dev.strangler.store.ProgressSnapshot;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.BooleanSupplier;

/**
 * Keeps the migration's progress in the store now and then, so the overview's line climbs week by
 * week. Only the leading controller takes snapshots (one per fleet), at most one per
 * {@link #INTERVAL}, counted from the latest one stored: a restart does not take an extra one, and
 * another gateway taking over leadership goes on from where the last one stopped.
 */
public final class ProgressSnapshots {
    /** One point of the progress line per hour: 8,760 a year, a few rows each. */
    public static final Duration INTERVAL = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(ProgressSnapshots.class);

    private final Supplier<List<ProgressSnapshot>> snapshot;
    private final StateStore store;
    private final BooleanSupplier leading;
    private final Clock clock;
    private final Duration interval;

    /** @param snapshot the rows of one snapshot now ({@link ReadModel#snapshot}); blocking */
    public ProgressSnapshots(Supplier<List<ProgressSnapshot>> snapshot, StateStore store, BooleanSupplier leading, Clock clock,
                             Duration interval) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.store = Objects.requireNonNull(store, "store");
        this.leading = Objects.requireNonNull(leading, "leading");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
    }

    /**
     * Takes a snapshot when this process leads and the latest one is at least an interval old.
     * Blocking; never throws: a store that cannot be reached is logged and tried at the next look.
     *
     * @return whether a snapshot was stored
     */
    public boolean look() {
        if (!leading.getAsBoolean()) return false;
        try {
            Instant now = clock.instant();
            if (store.latestProgress().filter(last -> last.plus(interval).isAfter(now)).isPresent()) return false;
            store.saveProgress(snapshot.get());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not keep a progress snapshot; trying again later: {}", e.getMessage());
            return false;
        }
    }
}
