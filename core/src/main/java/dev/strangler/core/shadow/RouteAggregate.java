package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The shadow results of one route. Comparisons, paths and samples are guarded by this object's
 * monitor (one short critical section per comparison); drops are atomic counters, taken without it.
 */
final class RouteAggregate {
    /** Differences kept with one sample: enough to read, bounded so samples stay small. */
    static final int MAX_SAMPLE_DIFFERENCES = 20;

    private final String route;
    private final ShadowOptions options;
    private final NoiseFilter noise;
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
    private final Map<String, PathAccumulator> paths = new HashMap<>();
    private final ArrayDeque<Sample> mismatchSamples = new ArrayDeque<>();
    private final ArrayDeque<Sample> matchSamples = new ArrayDeque<>();
    private PathAccumulator other;
    private long comparisons;
    private long matches;

    RouteAggregate(String route, ShadowOptions options) {
        this.route = route;
        this.options = options;
        this.noise = new NoiseFilter(options);
    }

    NoiseFilter noise() {
        return noise;
    }

    void recordDropped(DropReason reason) {
        dropped.incrementAndGet(reason.ordinal());
    }

    /** @return whether it counted as a match (differences only at confirmed-noise paths count as one) */
    synchronized boolean recordComparison(DiffResult result, Optional<SamplePair> sample) {
        long comparison = comparisons++;
        boolean matched = !result.truncated();
        for (Difference difference : result.differences()) {
            String path = JsonPaths.normalize(difference.path());
            if (!noise.isConfirmed(path))
                matched = false;
            accumulator(path, comparison).record(difference, comparison);
        }
        if (matched)
            matches++;
        if (sample.isPresent())
            keep(new Sample(sample.get(), matched, firstDifferences(result)));
        return matched;
    }

    private PathAccumulator accumulator(String path, long comparison) {
        PathAccumulator accumulator = paths.get(path);
        if (accumulator != null)
            return accumulator;
        if (paths.size() < options.maxPathsPerRoute()) {
            accumulator = new PathAccumulator(path, comparison, false);
            paths.put(path, accumulator);
            return accumulator;
        }
        if (other == null)
            other = new PathAccumulator(ShadowResults.OTHER_PATHS, comparison, true);
        return other;
    }

    private static List<Difference> firstDifferences(DiffResult result) {
        List<Difference> differences = result.differences();
        return differences.size() <= MAX_SAMPLE_DIFFERENCES ? differences : differences.subList(0, MAX_SAMPLE_DIFFERENCES);
    }

    private void keep(Sample sample) {
        int matchSlots = options.maxMatchSamplesPerRoute();
        ArrayDeque<Sample> ring = sample.matched() ? matchSamples : mismatchSamples;
        int capacity = sample.matched() ? matchSlots : options.maxSamplesPerRoute() - matchSlots;
        if (capacity <= 0)
            return;
        ring.addFirst(sample);
        if (ring.size() > capacity)
            ring.removeLast();
    }

    RouteShadowSummary snapshot(Redactor redactor) {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values())
            drops.put(reason, dropped.get(reason.ordinal()));
        long comparisonsNow;
        long matchesNow;
        List<PathAccumulator.Unredacted> unredacted = new ArrayList<>();
        List<Sample> rawSamples = new ArrayList<>();
        synchronized (this) {
            comparisonsNow = comparisons;
            matchesNow = matches;
            for (PathAccumulator accumulator : paths.values())
                unredacted.add(accumulator.snapshot(comparisonsNow, noise, options));
            if (other != null)
                unredacted.add(other.snapshot(comparisonsNow, noise, options));
            rawSamples.addAll(mismatchSamples);
            rawSamples.addAll(matchSamples);
        }
        // redaction may parse JSON values: done outside the lock, so recorders of the route never wait on it
        List<PathStat> stats = new ArrayList<>(unredacted.size());
        for (PathAccumulator.Unredacted stat : unredacted)
            stats.add(stat.redacted(redactor));
        stats.sort(Comparator.comparingLong(PathStat::mismatches).reversed().thenComparing(PathStat::path));
        List<Sample> samples = rawSamples.stream()
                .map(s -> new Sample(s.pair(), s.matched(), s.differences().stream().map(redactor::redact).toList()))
                .toList();
        double matchRate = comparisonsNow == 0 ? 0 : (double) matchesNow / comparisonsNow;
        return new RouteShadowSummary(route, comparisonsNow, matchesNow, comparisonsNow - matchesNow, drops,
                matchRate, stats, samples);
    }
}
