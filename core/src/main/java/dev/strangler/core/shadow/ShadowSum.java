package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffKind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adds up the summaries of one route against one service written by several gateways (or several
 * lifetimes of one gateway): what a fleet learned as a whole.
 *
 * <p>Counts add up. A path's examples come from the first summary that has the path (callers pass the
 * freshest first). The noise evidence of a path adds up too; the path is confirmed noise when any
 * gateway confirmed it (that gateway saw the monolith differ from itself there, which is a fact about
 * the monolith, not about that gateway), probable noise when every gateway that saw it says so, real
 * otherwise. Each gateway's matches were judged with its own noise filter, so the summed match rate is
 * the sum of those judgements. Samples: the mismatches first, then the matches, freshest summary
 * first, at most {@code maxSamples}.
 */
public final class ShadowSum {
    private ShadowSum() {}

    /** The sum of {@code parts} (freshest first) as one summary of {@code route}; zero counts when empty. */
    public static RouteShadowSummary of(String route, List<RouteShadowSummary> parts, int maxSamples) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(parts, "parts");
        if (maxSamples < 0)
            throw new IllegalArgumentException("maxSamples: " + maxSamples + " (expected: >= 0)");
        long comparisons = 0;
        long matches = 0;
        Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values())
            dropped.put(reason, 0L);
        Map<String, List<PathStat>> byPath = new LinkedHashMap<>();
        List<Sample> mismatchSamples = new ArrayList<>();
        List<Sample> matchSamples = new ArrayList<>();
        for (RouteShadowSummary part : parts) {
            comparisons += part.comparisons();
            matches += part.matches();
            part.dropped().forEach((reason, n) -> dropped.merge(reason, n, Long::sum));
            for (PathStat p : part.paths())
                byPath.computeIfAbsent(p.path(), k -> new ArrayList<>()).add(p);
            for (Sample s : part.samples())
                (s.matched() ? matchSamples : mismatchSamples).add(s);
        }
        List<PathStat> paths = new ArrayList<>(byPath.size());
        byPath.forEach((path, stats) -> paths.add(sum(path, stats)));
        paths.sort(Comparator.comparingLong(PathStat::mismatches).reversed().thenComparing(PathStat::path));
        List<Sample> samples = new ArrayList<>(mismatchSamples);
        samples.addAll(matchSamples);
        if (samples.size() > maxSamples)
            samples = samples.subList(0, maxSamples);
        double matchRate = comparisons == 0 ? 0 : (double) matches / comparisons;
        return new RouteShadowSummary(route, comparisons, matches, comparisons - matches, dropped, matchRate, paths, samples);
    }

    private static PathStat sum(String path, List<PathStat> stats) {
        Map<DiffKind, Long> kinds = new EnumMap<>(DiffKind.class);
        long mismatches = 0;
        long pairs = 0;
        long differed = 0;
        boolean confirmed = false;
        boolean anyConfirmed = false;
        boolean allProbable = true;
        for (PathStat p : stats) {
            p.kinds().forEach((kind, n) -> kinds.merge(kind, n, Long::sum));
            mismatches += p.mismatches();
            pairs += p.noiseEvidence().pairs();
            differed += p.noiseEvidence().differed();
            confirmed |= p.noiseEvidence().confirmed();
            anyConfirmed |= p.noise() == NoiseClass.NOISE_CONFIRMED;
            allProbable &= p.noise() == NoiseClass.PROBABLE_NOISE;
        }
        NoiseClass noise = anyConfirmed ? NoiseClass.NOISE_CONFIRMED : allProbable ? NoiseClass.PROBABLE_NOISE : NoiseClass.REAL;
        PathStat example = stats.getFirst();
        return new PathStat(path, kinds, mismatches, example.exampleMonolithValue(), example.exampleServiceValue(), noise,
                new NoiseEvidence(pairs, differed, confirmed || anyConfirmed));
    }
}
