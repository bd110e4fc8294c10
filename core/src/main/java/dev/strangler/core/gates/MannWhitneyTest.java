package dev.strangler.core.gates;

import java.util.Arrays;
import java.util.Objects;

import static dev.strangler.core.gates.GateFormat.f;

/**
 * The latency gate: a one-sided Mann-Whitney U test (the rank test Kayenta's judge uses) of whether
 * the service's latencies are shifted higher than the monolith's by more than an allowed relative
 * increase.
 *
 * <p>The allowance is applied to the data, not to the statistic: every monolith sample is multiplied
 * by {@code 1 + maxIncrease} and the service is then tested against the scaled sample with the
 * alternative "service is stochastically greater". A service 5% slower with a 10% allowance is
 * therefore faster than the scaled monolith and passes; a service 50% slower fails.
 *
 * <p>The two samples are sorted and merged (O(n log n)); tied values share their mid-rank, and the
 * variance carries the tie correction {@code n1·n2/12 · ((N+1) − Σ(t³−t)/(N(N−1)))}. The p-value
 * uses the normal approximation with a continuity correction of 0.5, matching
 * {@code scipy.stats.mannwhitneyu(service, monolith, alternative="greater", method="asymptotic")}.
 * When every value is tied the variance is zero, there is no evidence of a shift, and the gate
 * passes with {@code z = 0} and {@code p = 1}.
 *
 * <p>Below {@code minSamples} per side the verdict is NOT_ENOUGH_DATA. Latencies must be finite and
 * non-negative (scaling only means "slower" for non-negative values). Immutable and thread-safe;
 * {@link #judge} is a pure function and does not modify its arguments.
 */
public final class MannWhitneyTest {
    /** Fewest samples per side before the normal approximation is trusted, as a sensible default. */
    public static final int DEFAULT_MIN_SAMPLES = 20;

    private final double maxIncrease;
    private final double alpha;
    private final int minSamples;

    /**
     * @param maxIncrease allowed relative increase of latency, e.g. 0.10 for 10%
     * @param alpha significance level, e.g. 0.05
     * @param minSamples fewest samples per side before anything is decided, at least 1
     */
    public MannWhitneyTest(double maxIncrease, double alpha, int minSamples) {
        GateFormat.checkMaxIncrease(maxIncrease);
        GateFormat.checkAlpha(alpha);
        if (minSamples < 1) throw new IllegalArgumentException("minSamples: " + minSamples + " (expected: >= 1)");
        this.maxIncrease = maxIncrease;
        this.alpha = alpha;
        this.minSamples = minSamples;
    }

    /** Judges latency samples (any unit, the same for both sides). */
    public LatencyResult judge(double[] service, double[] monolith) {
        double[] s = sortedCopy("service", service);
        double[] m = sortedCopy("monolith", monolith);
        double serviceMedian = median(s);
        double monolithMedian = median(m);
        String compared = f("service latency median %s (n=%d) vs monolith %s (n=%d), allowed +%.1f%%",
                number(serviceMedian), s.length, number(monolithMedian), m.length, 100 * maxIncrease);
        if (s.length < minSamples || m.length < minSamples) {
            return new LatencyResult(Verdict.NOT_ENOUGH_DATA, Double.NaN, Double.NaN, Double.NaN,
                    serviceMedian, monolithMedian,
                    f("%s: fewer than %d samples on a side: NOT_ENOUGH_DATA", compared, minSamples));
        }
        double factor = 1 + maxIncrease;
        for (int i = 0; i < m.length; i++) m[i] *= factor;

        Ranks ranks = rank(s, m);
        double n1 = s.length;
        double n2 = m.length;
        double bigN = n1 + n2;
        double u = ranks.serviceRankSum - n1 * (n1 + 1) / 2;
        double mean = n1 * n2 / 2;
        double variance = n1 * n2 / 12 * ((bigN + 1) - ranks.tieTerm / (bigN * (bigN - 1)));
        double z;
        double p;
        if (variance <= 0) {
            z = 0;
            p = 1;
        } else {
            z = (u - mean - 0.5) / Math.sqrt(variance);
            p = StandardNormal.upperTail(z);
        }
        boolean fails = p < alpha;
        Verdict verdict = fails ? Verdict.FAIL : Verdict.PASS;
        return new LatencyResult(verdict, u, z, p, serviceMedian, monolithMedian,
                f("%s: U=%s, z=%.2f, %s, %s: %s", compared, number(u), z, GateFormat.pValue(p),
                        fails ? "significantly slower than allowed" : "not significantly slower than allowed",
                        verdict));
    }

    private record Ranks(double serviceRankSum, double tieTerm) {
    }

    /** Merges two sorted samples, giving each group of tied values its mid-rank (ranks start at 1). */
    private static Ranks rank(double[] s, double[] m) {
        int i = 0;
        int j = 0;
        long rank = 0; // ranks already handed out
        double serviceRankSum = 0;
        double tieTerm = 0;
        while (i < s.length || j < m.length) {
            double value = j >= m.length || (i < s.length && s[i] <= m[j]) ? s[i] : m[j];
            int fromService = 0;
            while (i < s.length && s[i] == value) {
                i++;
                fromService++;
            }
            int fromMonolith = 0;
            while (j < m.length && m[j] == value) {
                j++;
                fromMonolith++;
            }
            long t = fromService + fromMonolith;
            double midRank = rank + (t + 1) / 2.0;
            serviceRankSum += fromService * midRank;
            tieTerm += (double) t * t * t - t;
            rank += t;
        }
        return new Ranks(serviceRankSum, tieTerm);
    }

    private static double[] sortedCopy(String side, double[] sample) {
        Objects.requireNonNull(sample, side);
        double[] copy = sample.clone();
        for (int k = 0; k < copy.length; k++) {
            if (!(Double.isFinite(copy[k]) && copy[k] >= 0)) {
                throw new IllegalArgumentException(f("%s[%d]: %s (expected: finite and >= 0)", side, k, copy[k]));
            }
            copy[k] += 0.0; // turns -0.0 into 0.0 so that sorting and == agree
        }
        Arrays.sort(copy);
        return copy;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String number(double x) {
        return Double.isNaN(x) ? "n/a" : f("%.1f", x);
    }
}
