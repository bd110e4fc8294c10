package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Learns, for one route, which paths the monolith does not reproduce itself (the Diffy idea): the
 * shadow stage now and then sends a request to the monolith twice and feeds the comparison of those two
 * answers here. A path that differs between two monolith answers is not something the service can be
 * blamed for.
 *
 * <p>Model: for each path (array indexes collapsed to {@code [*]}, body offsets dropped) the filter
 * remembers the number of monolith pairs seen when it first differed and how many pairs it differed
 * in since. A path is confirmed noise once at least {@link ShadowOptions#noiseConfirmMinPairs()} pairs
 * were seen since, and it differed in at least {@link ShadowOptions#noiseConfirmShare()} of them.
 * Counting from the first difference, not from the first pair, lets a path that exists on only some of
 * the route's endpoints still reach the share. At most {@link ShadowOptions#maxPathsPerRoute()} paths
 * are tracked; a path beyond that is never confirmed (so a flood of paths cannot hide differences).
 *
 * <p>Thread-safe; the lock is held for the length of one pair or one lookup.
 */
public final class NoiseFilter {
    private record PathCount(long firstPair, long differed) {
    }

    private final ShadowOptions options;
    private final Map<String, PathCount> byPath = new HashMap<>();
    private long pairs;

    public NoiseFilter(ShadowOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Feeds the comparison of two answers of the monolith to the same request. */
    public synchronized void recordMonolithPair(DiffResult monolithVersusMonolith) {
        Objects.requireNonNull(monolithVersusMonolith, "monolithVersusMonolith");
        long pair = pairs++;
        Set<String> seen = new HashSet<>();
        for (Difference difference : monolithVersusMonolith.differences()) {
            String path = JsonPaths.normalize(difference.path());
            if (!seen.add(path))
                continue;
            PathCount count = byPath.get(path);
            if (count != null)
                byPath.put(path, new PathCount(count.firstPair(), count.differed() + 1));
            else if (byPath.size() < options.maxPathsPerRoute())
                byPath.put(path, new PathCount(pair, 1));
        }
    }

    /** {@link NoiseClass#NOISE_CONFIRMED} when the monolith differs from itself at this path, else {@link NoiseClass#REAL}. */
    public NoiseClass classify(Difference difference) {
        return isConfirmed(JsonPaths.normalize(difference.path())) ? NoiseClass.NOISE_CONFIRMED : NoiseClass.REAL;
    }

    /** Whether a path, already normalized, is confirmed noise. */
    synchronized boolean isConfirmed(String normalizedPath) {
        PathCount count = byPath.get(normalizedPath);
        if (count == null)
            return false;
        long seen = pairs - count.firstPair();
        return seen >= options.noiseConfirmMinPairs() && count.differed() >= options.noiseConfirmShare() * seen;
    }

    /** The number of monolith pairs fed so far. */
    public synchronized long monolithPairs() {
        return pairs;
    }
}
