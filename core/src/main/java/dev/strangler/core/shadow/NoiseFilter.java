package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Learns, for one route, which paths the monolith does not reproduce itself (the Diffy idea): the
 * shadow stage now and then sends a request to the monolith twice and feeds the comparison of those two
 * answers here. A path that differs between two monolith answers is not something the service can be
 * blamed for.
 *
 * <p>Evidence: for each path (array indexes collapsed to {@code [*]}, body offsets dropped) the filter
 * counts {@code n}, the monolith pairs in which the path was present (on both answers, or on one as a
 * difference), and {@code d}, the pairs of those in which it differed. Pairs where the path does not
 * exist say nothing about it: an error body's {@code $.timestamp} is judged over the error pairs only,
 * however many ordinary pairs come between them. The paths present come from
 * {@link DiffResult#presentPaths()} ({@code ResponseDiffer.diffRecordingPresence}); a result without
 * them counts only its differing paths as present.
 *
 * <p>The rule, with hysteresis so a judgement does not flap on a few contrary pairs:
 * <ul>
 *   <li>a path becomes {@link NoiseClass#NOISE_CONFIRMED} once {@code n >= noiseConfirmMinPairs} and
 *       {@code d >= noiseConfirmShare * n};</li>
 *   <li>a confirmed path stays confirmed while {@code d >= noiseReleaseShare * n} (a lower share), and
 *       is {@link NoiseClass#REAL} again only once its share falls below that. A field confirmed over
 *       40 pairs at 100% needs 120 more pairs in which it is present and equal (default release share
 *       0.25) before it counts against the service again.</li>
 * </ul>
 * The state is updated only when a pair has the path, so the judgement depends on the path's own
 * pairs and on nothing else the route sees. For a given multiset of pairs the counts are the same in
 * any order; the state differs between orders only when the final share lies in the band between the
 * release and the confirm share (that is the hysteresis).
 *
 * <p>Bounds: evidence is kept for at most {@link #maxTrackedPaths} paths (paths present only, never
 * differing, take at most the first {@link #maxPresentOnlyPaths} of those slots, so a large document
 * cannot crowd out the paths that differ). A path beyond the bound is never confirmed, so a flood of
 * paths cannot hide differences.
 *
 * <p>Thread-safe; the lock is held for the length of one pair or one lookup.
 */
public final class NoiseFilter {
    private static final class PathEvidence {
        long pairs;
        long differed;
        boolean confirmed;
    }

    private final ShadowOptions options;
    private final int maxPresentOnlyPaths;
    private final int maxTrackedPaths;
    private final Map<String, PathEvidence> byPath = new HashMap<>();
    private long pairs;

    public NoiseFilter(ShadowOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.maxPresentOnlyPaths = options.maxPathsPerRoute() * 8;
        this.maxTrackedPaths = maxPresentOnlyPaths + options.maxPathsPerRoute();
    }

    /** Feeds the comparison of two answers of the monolith to the same request. */
    public synchronized void recordMonolithPair(DiffResult monolithVersusMonolith) {
        Objects.requireNonNull(monolithVersusMonolith, "monolithVersusMonolith");
        pairs++;
        Set<String> differing = new HashSet<>();
        for (Difference difference : monolithVersusMonolith.differences())
            differing.add(JsonPaths.normalize(difference.path()));
        for (String path : differing)
            count(path, true, maxTrackedPaths);
        for (String present : monolithVersusMonolith.presentPaths()) {
            String path = JsonPaths.normalize(present);
            if (!differing.contains(path))
                count(path, false, maxPresentOnlyPaths);
        }
    }

    private void count(String path, boolean differed, int bound) {
        PathEvidence evidence = byPath.get(path);
        if (evidence == null) {
            if (byPath.size() >= bound)
                return;
            evidence = new PathEvidence();
            byPath.put(path, evidence);
        }
        evidence.pairs++;
        if (differed)
            evidence.differed++;
        if (!evidence.confirmed)
            evidence.confirmed = evidence.pairs >= options.noiseConfirmMinPairs()
                    && evidence.differed >= options.noiseConfirmShare() * evidence.pairs;
        else
            evidence.confirmed = evidence.differed >= options.noiseReleaseShare() * evidence.pairs;
    }

    /** {@link NoiseClass#NOISE_CONFIRMED} when the monolith differs from itself at this path, else {@link NoiseClass#REAL}. */
    public NoiseClass classify(Difference difference) {
        return isConfirmed(JsonPaths.normalize(difference.path())) ? NoiseClass.NOISE_CONFIRMED : NoiseClass.REAL;
    }

    /** Whether a path, already normalized, is confirmed noise. */
    synchronized boolean isConfirmed(String normalizedPath) {
        PathEvidence evidence = byPath.get(normalizedPath);
        return evidence != null && evidence.confirmed;
    }

    /** What the monolith pairs say about a path, already normalized; empty when no pair had it (or it is beyond the bound). */
    public synchronized Optional<NoiseEvidence> evidence(String normalizedPath) {
        PathEvidence evidence = byPath.get(normalizedPath);
        return evidence == null ? Optional.empty()
                : Optional.of(new NoiseEvidence(evidence.pairs, evidence.differed, evidence.confirmed));
    }

    /** The number of monolith pairs fed so far. */
    public synchronized long monolithPairs() {
        return pairs;
    }
}
