package dev.strangler.core.shadow;

import java.util.ArrayList;
import java.util.List;

/**
 * Bounds and thresholds of {@link ShadowResults}.
 *
 * @param maxPathsPerRoute           distinct differing paths kept per route; further ones are counted
 *                                   under {@value ShadowResults#OTHER_PATHS}. Default {@value #DEFAULT_MAX_PATHS_PER_ROUTE}
 * @param maxSamplesPerRoute         samples kept per route. Default {@value #DEFAULT_MAX_SAMPLES_PER_ROUTE}
 * @param maxMatchSamplesPerRoute    of those, slots kept for matches (the rest hold the most recent
 *                                   mismatches). Default {@value #DEFAULT_MAX_MATCH_SAMPLES_PER_ROUTE}
 * @param noiseConfirmShare          share of monolith pairs, among those in which a path was present, in
 *                                   which it must differ to be confirmed noise. Default {@value #DEFAULT_NOISE_CONFIRM_SHARE}
 * @param noiseConfirmMinPairs       monolith pairs with the path present needed before it can be
 *                                   confirmed noise. Default {@value #DEFAULT_NOISE_CONFIRM_MIN_PAIRS}
 * @param noiseReleaseShare          a confirmed path stays confirmed until its share falls below this
 *                                   (hysteresis; at most the confirm share). Default {@value #DEFAULT_NOISE_RELEASE_SHARE}
 * @param probableNoiseShare         share of comparisons in which a path must differ to be probable
 *                                   noise. Default {@value #DEFAULT_PROBABLE_NOISE_SHARE}
 * @param probableNoiseMinComparisons comparisons needed, since a path first differed, before it can be
 *                                   probable noise. Default {@value #DEFAULT_PROBABLE_NOISE_MIN_COMPARISONS}
 */
public record ShadowOptions(int maxPathsPerRoute, int maxSamplesPerRoute, int maxMatchSamplesPerRoute,
                            double noiseConfirmShare, int noiseConfirmMinPairs, double noiseReleaseShare,
                            double probableNoiseShare, int probableNoiseMinComparisons) {
    public static final int DEFAULT_MAX_PATHS_PER_ROUTE = 200;
    public static final int DEFAULT_MAX_SAMPLES_PER_ROUTE = 20;
    public static final int DEFAULT_MAX_MATCH_SAMPLES_PER_ROUTE = 3;
    public static final double DEFAULT_NOISE_CONFIRM_SHARE = 0.5;
    public static final int DEFAULT_NOISE_CONFIRM_MIN_PAIRS = 3;
    public static final double DEFAULT_NOISE_RELEASE_SHARE = 0.25;
    public static final double DEFAULT_PROBABLE_NOISE_SHARE = 0.95;
    public static final int DEFAULT_PROBABLE_NOISE_MIN_COMPARISONS = 20;

    public static final ShadowOptions DEFAULTS = new ShadowOptions(DEFAULT_MAX_PATHS_PER_ROUTE,
            DEFAULT_MAX_SAMPLES_PER_ROUTE, DEFAULT_MAX_MATCH_SAMPLES_PER_ROUTE, DEFAULT_NOISE_CONFIRM_SHARE,
            DEFAULT_NOISE_CONFIRM_MIN_PAIRS, DEFAULT_NOISE_RELEASE_SHARE, DEFAULT_PROBABLE_NOISE_SHARE, DEFAULT_PROBABLE_NOISE_MIN_COMPARISONS);

    public ShadowOptions {
        List<String> problems = new ArrayList<>();
        if (maxPathsPerRoute <= 0)
            problems.add("maxPathsPerRoute: " + maxPathsPerRoute + " (expected: > 0)");
        if (maxSamplesPerRoute < 0)
            problems.add("maxSamplesPerRoute: " + maxSamplesPerRoute + " (expected: >= 0)");
        if (maxMatchSamplesPerRoute < 0 || maxMatchSamplesPerRoute > Math.max(0, maxSamplesPerRoute))
            problems.add("maxMatchSamplesPerRoute: " + maxMatchSamplesPerRoute + " (expected: 0.." + maxSamplesPerRoute + ")");
        if (!(noiseConfirmShare > 0 && noiseConfirmShare <= 1))
            problems.add("noiseConfirmShare: " + noiseConfirmShare + " (expected: > 0 and <= 1)");
        if (!(noiseReleaseShare >= 0 && noiseReleaseShare <= noiseConfirmShare))
            problems.add("noiseReleaseShare: " + noiseReleaseShare + " (expected: >= 0 and <= noiseConfirmShare " + noiseConfirmShare + ")");
        if (noiseConfirmMinPairs <= 0)
            problems.add("noiseConfirmMinPairs: " + noiseConfirmMinPairs + " (expected: > 0)");
        if (!(probableNoiseShare > 0 && probableNoiseShare <= 1))
            problems.add("probableNoiseShare: " + probableNoiseShare + " (expected: > 0 and <= 1)");
        if (probableNoiseMinComparisons <= 0)
            problems.add("probableNoiseMinComparisons: " + probableNoiseMinComparisons + " (expected: > 0)");
        if (!problems.isEmpty())
            throw new IllegalArgumentException(String.join("; ", problems));
    }

    public ShadowOptions withMaxPathsPerRoute(int max) {
        return new ShadowOptions(max, maxSamplesPerRoute, maxMatchSamplesPerRoute, noiseConfirmShare,
                noiseConfirmMinPairs, noiseReleaseShare, probableNoiseShare, probableNoiseMinComparisons);
    }

    public ShadowOptions withSamples(int max, int matches) {
        return new ShadowOptions(maxPathsPerRoute, max, matches, noiseConfirmShare,
                noiseConfirmMinPairs, noiseReleaseShare, probableNoiseShare, probableNoiseMinComparisons);
    }
}
