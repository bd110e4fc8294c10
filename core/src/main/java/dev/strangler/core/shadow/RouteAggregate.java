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
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The shadow results of one route. Comparisons, paths and samples are guarded by this object's
 * monitor (one short critical section per comparison); drops are atomic counters, taken without it.
 *
 * <p>The match rate is judged when it is read, not when a comparison is recorded: comparisons are
 * counted by their signature (the sorted set of paths at which they differed), and a snapshot counts
 * as matches the comparisons without differences plus those whose every differing path is confirmed
 * noise at that moment. So the rate of a given multiset of comparisons does not depend on the order in
 * which they and the monolith pairs arrived (up to the noise filter's hysteresis), and a path confirmed
 * as noise later also clears the comparisons before. At most {@value #MAX_SIGNATURES} signatures are
 * kept; a comparison with a new signature beyond that, or a truncated one, is judged once, when it is
 * recorded.
 */
final class RouteAggregate {
    /** Differences kept with one sample: enough to read, bounded so samples stay small. */
    static final int MAX_SAMPLE_DIFFERENCES = 20;
    /** Distinct sets of differing paths whose comparisons are judged again at each snapshot. */
    static final int MAX_SIGNATURES = 1024;

    private final String route;
    private final ShadowOptions options;
    private final NoiseFilter noise;
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
    private final Map<String, PathAccumulator> paths = new HashMap<>();
    private final ArrayDeque<Kept> mismatchSamples = new ArrayDeque<>();
    private final ArrayDeque<Kept> matchSamples = new ArrayDeque<>();
    private PathAccumulator other;
    private final Map<List<String>, long[]> bySignature = new HashMap<>();
    private long comparisons;
    /** Comparisons without any difference. */
    private long identical;
    /** Comparisons judged once when recorded (truncated, or a signature beyond the bound), that matched then. */
    private long judgedMatches;

    /** A kept sample, not redacted yet: {@link #snapshot} redacts the few still kept when it is taken. */
    private record Kept(CapturedSample sample, boolean matched, List<Difference> differences) {}

    RouteAggregate(String route, ShadowOptions options) {
        this(route, options, new NoiseFilter(options));
    }

    /** With a noise filter shared by every aggregate of the route (the monolith's noise does not depend on the service). */
    RouteAggregate(String route, ShadowOptions options, NoiseFilter noise) {
        this.route = route;
        this.options = options;
        this.noise = noise;
    }

    NoiseFilter noise() {
        return noise;
    }

    void recordDropped(DropReason reason) {
        dropped.incrementAndGet(reason.ordinal());
    }

    /** @return whether it counted as a match (differences only at confirmed-noise paths count as one) */
    synchronized boolean recordComparison(DiffResult result, Optional<CapturedSample> sample) {
        long comparison = comparisons++;
        if (result.matches()) {
            // the usual case once a service is right: nothing to sort or count per path
            identical++;
            sample.ifPresent(s -> keep(new Kept(s, true, List.of())));
            return true;
        }
        boolean matched = !result.truncated();
        TreeSet<String> signature = new TreeSet<>();
        for (Difference difference : result.differences()) {
            String path = JsonPaths.normalize(difference.path());
            signature.add(path);
            if (!noise.isConfirmed(path))
                matched = false;
            accumulator(path, comparison).record(difference, comparison);
        }
        if (signature.isEmpty() && !result.truncated()) {
            identical++;
        } else {
            long[] count = result.truncated() ? null : bySignature.get(List.copyOf(signature));
            if (count == null && !result.truncated() && bySignature.size() < MAX_SIGNATURES) {
                count = new long[1];
                bySignature.put(List.copyOf(signature), count);
            }
            if (count != null)
                count[0]++;
            else if (matched)
                judgedMatches++;
        }
        if (sample.isPresent())
            keep(new Kept(sample.get(), matched, firstDifferences(result)));
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

    private void keep(Kept sample) {
        int matchSlots = options.maxMatchSamplesPerRoute();
        ArrayDeque<Kept> ring = sample.matched() ? matchSamples : mismatchSamples;
        int capacity = sample.matched() ? matchSlots : options.maxSamplesPerRoute() - matchSlots;
        if (capacity <= 0)
            return;
        ring.addFirst(sample);
        if (ring.size() > capacity)
            ring.removeLast();
    }

    /** Whether every difference of a kept sample (all of them: fewer than the bound) is at a confirmed-noise path. */
    private boolean isNoiseOnly(Kept sample) {
        List<Difference> differences = sample.differences();
        return !differences.isEmpty() && differences.size() < MAX_SAMPLE_DIFFERENCES
                && differences.stream().allMatch(d -> noise.isConfirmed(JsonPaths.normalize(d.path())));
    }

    RouteShadowSummary snapshot(Redactor redactor) {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values())
            drops.put(reason, dropped.get(reason.ordinal()));
        long comparisonsNow;
        long matchesNow;
        List<PathAccumulator.Unredacted> unredacted = new ArrayList<>();
        List<Kept> rawSamples = new ArrayList<>();
        synchronized (this) {
            comparisonsNow = comparisons;
            matchesNow = identical + judgedMatches;
            for (Map.Entry<List<String>, long[]> entry : bySignature.entrySet()) {
                if (entry.getKey().stream().allMatch(noise::isConfirmed))
                    matchesNow += entry.getValue()[0];
            }
            for (PathAccumulator accumulator : paths.values())
                unredacted.add(accumulator.snapshot(comparisonsNow, noise, options));
            if (other != null)
                unredacted.add(other.snapshot(comparisonsNow, noise, options));
            // a kept mismatch whose differences are all confirmed noise now reads as the match it counts as
            for (Kept sample : mismatchSamples)
                rawSamples.add(isNoiseOnly(sample) ? new Kept(sample.sample(), true, sample.differences()) : sample);
            rawSamples.addAll(matchSamples);
        }
        // redaction may parse JSON values and bodies: done outside the lock, so recorders of the route never wait on it
        List<PathStat> stats = new ArrayList<>(unredacted.size());
        for (PathAccumulator.Unredacted stat : unredacted)
            stats.add(stat.redacted(redactor));
        stats.sort(Comparator.comparingLong(PathStat::mismatches).reversed().thenComparing(PathStat::path));
        List<Sample> samples = rawSamples.stream()
                .map(s -> new Sample(s.sample().pair(), s.matched(), s.differences().stream().map(redactor::redact).toList()))
                .toList();
        double matchRate = comparisonsNow == 0 ? 0 : (double) matchesNow / comparisonsNow;
        return new RouteShadowSummary(route, comparisonsNow, matchesNow, comparisonsNow - matchesNow, drops,
                matchRate, stats, samples);
    }
}
