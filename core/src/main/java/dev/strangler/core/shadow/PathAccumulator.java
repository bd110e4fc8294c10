package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.Difference;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The running counts of one differing path on one route. Not thread-safe: guarded by its
 * {@link RouteAggregate}. Memory per path is fixed: counters, the latest difference and a ring of
 * {@value #RECENT_VALUES} value hashes, used to tell whether values ever repeat.
 */
final class PathAccumulator {
    static final int RECENT_VALUES = 32;
    /** Share of observed values that must look generated for a path to be probable noise. */
    static final double GENERATED_SHARE = 0.9;

    private final String path;
    private final long firstComparison;
    private final boolean isOverflow;
    private final long[] kinds = new long[DiffKind.values().length];
    private long mismatches;
    private long lastComparison = -1;
    private Difference latest;
    private long values;
    private long generated;
    private long numbers;
    private boolean repeated;
    private final int[] recent = new int[RECENT_VALUES];
    private int recentCount;
    private int recentNext;

    PathAccumulator(String path, long firstComparison, boolean isOverflow) {
        this.path = path;
        this.firstComparison = firstComparison;
        this.isOverflow = isOverflow;
    }

    void record(Difference difference, long comparison) {
        kinds[difference.kind().ordinal()]++;
        if (lastComparison != comparison) {
            mismatches++;
            lastComparison = comparison;
        }
        latest = difference;
        if (!isOverflow) {
            observe(difference.monolithValue());
            observe(difference.serviceValue());
        }
    }

    private void observe(Optional<String> value) {
        values++;
        if (value.isEmpty())
            return;
        String v = value.get();
        if (ValueShape.looksGenerated(v))
            generated++;
        if (ValueShape.isNumber(v))
            numbers++;
        int hash = v.hashCode();
        for (int i = 0; i < recentCount; i++) {
            if (recent[i] == hash) {
                repeated = true;
                return;
            }
        }
        recent[recentNext] = hash;
        recentNext = (recentNext + 1) % RECENT_VALUES;
        recentCount = Math.min(recentCount + 1, RECENT_VALUES);
    }

    /**
     * Confirmed noise when the monolith pairs say so; probable noise when the path differed in nearly
     * all comparisons since it first did, with values that look generated or numbers that never repeat.
     */
    NoiseClass classify(long routeComparisons, NoiseFilter noise, ShadowOptions options) {
        if (isOverflow)
            return NoiseClass.REAL;
        if (noise.isConfirmed(path))
            return NoiseClass.NOISE_CONFIRMED;
        long seen = routeComparisons - firstComparison;
        boolean nearlyAlways = seen >= options.probableNoiseMinComparisons()
                && mismatches >= options.probableNoiseShare() * seen;
        boolean randomLooking = generated >= GENERATED_SHARE * values || (numbers == values && !repeated);
        return nearlyAlways && randomLooking ? NoiseClass.PROBABLE_NOISE : NoiseClass.REAL;
    }

    /** A path's figures taken under the route's lock, with the latest difference still to be redacted. */
    record Unredacted(String path, Map<DiffKind, Long> kinds, long mismatches, Difference latest, NoiseClass noise,
                      NoiseEvidence evidence) {
        PathStat redacted(Redactor redactor) {
            Difference example = redactor.redact(latest);
            return new PathStat(path, kinds, mismatches, example.monolithValue(), example.serviceValue(), noise, evidence);
        }
    }

    Unredacted snapshot(long routeComparisons, NoiseFilter noise, ShadowOptions options) {
        Map<DiffKind, Long> byKind = new EnumMap<>(DiffKind.class);
        for (DiffKind kind : DiffKind.values()) {
            if (kinds[kind.ordinal()] > 0)
                byKind.put(kind, kinds[kind.ordinal()]);
        }
        NoiseEvidence evidence = isOverflow ? NoiseEvidence.NONE : noise.evidence(path).orElse(NoiseEvidence.NONE);
        return new Unredacted(path, byKind, mismatches, latest, classify(routeComparisons, noise, options), evidence);
    }
}
