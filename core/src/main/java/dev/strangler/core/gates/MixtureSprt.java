package dev.strangler.core.gates;

import java.util.Arrays;

/**
 * The one-sided normal-mixture sequential probability ratio test (mSPRT): the statistic behind the
 * sequential gates, which may be looked at after every window without inflating the false-alarm rate.
 *
 * <p><b>Design.</b> The gates estimate a difference {@code θ} (service minus monolith: error rates,
 * or mean log-latencies) by {@code θ̂} with variance {@code V}, and test it against a boundary
 * {@code θ0} (the allowance). With {@code θ̂ ~ N(θ, V)}, the likelihood ratio of {@code θ0 + u}
 * against {@code θ0} is {@code exp(u·d/V − u²/(2V))} with {@code d = θ̂ − θ0}. Mixing it over a
 * half-normal prior for {@code u > 0} (scale {@code τ}) gives the closed form
 * <pre>
 *   Λτ = 2 · Φ(d·τ / √(V(V+τ²))) · √(V/(V+τ²)) · exp(d²τ² / (2V(V+τ²)))
 * </pre>
 * (Johari, Koomen, Pekelis, Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests",
 * Operations Research 70(3), 2022 — the normal mixture behind Optimizely's stats engine; Netflix's
 * sequential canary tests use the same family — restricted to one side as in Robbins, "Statistical
 * methods related to the law of the iterated logarithm", 1970). A mixture of likelihood ratios is a nonnegative martingale under
 * {@code θ = θ0}, and a supermartingale for every {@code θ ≤ θ0}, so by Ville's inequality
 * {@code P(Λ ever reaches 1/α) ≤ α} however often it is looked at: {@code 1/Λ} is an always-valid
 * p-value. The half-normal prior makes the test one-sided and gains up to a factor 2 over the
 * symmetric one. Because no single {@code τ} suits both a dead service and a one-point difference,
 * {@code Λ} is the equal-weight average over a small grid of scales; an average of martingales is
 * still one, and the price is at most a factor {@code grid size} on the evidence needed.
 *
 * <p><b>Assumptions.</b> {@code θ̂} is approximately normal with a known variance: the gates plug in
 * an estimate of {@code V} at every look (as Johari et al. do), sum independent per-window terms,
 * and keep counts away from zero (see the gates). The "below" direction is the same test mirrored:
 * evidence that {@code θ < θ0}, used to promote only on confidence that the service is not worse.
 *
 * <p>Immutable and thread-safe.
 */
public final class MixtureSprt {
    private final double[] tauSquares;
    private final double logGridSize;

    /** @param scales the prior's scales {@code τ} (in the unit of {@code θ}), each above 0 */
    public MixtureSprt(double... scales) {
        if (scales.length == 0) throw new IllegalArgumentException("scales: none (expected: at least one)");
        tauSquares = new double[scales.length];
        for (int i = 0; i < scales.length; i++) {
            if (!(scales[i] > 0 && Double.isFinite(scales[i]))) {
                throw new IllegalArgumentException("scales[" + i + "]: " + scales[i] + " (expected: finite and > 0)");
            }
            tauSquares[i] = scales[i] * scales[i];
        }
        logGridSize = Math.log(scales.length);
    }

    /** ln Λ for "θ > θ0", given {@code d = θ̂ − θ0} and the variance {@code v > 0} of {@code θ̂}. */
    public double logRatioAbove(double d, double v) {
        if (!(v > 0) || Double.isNaN(d)) throw new IllegalArgumentException("d=" + d + ", v=" + v + " (expected: v > 0)");
        double[] terms = new double[tauSquares.length];
        for (int i = 0; i < tauSquares.length; i++) {
            double t2 = tauSquares[i];
            double r = t2 / (v + t2); // the prior's share of the posterior precision, in (0, 1)
            double zz = d * d / v;
            double x = d / Math.sqrt(v) * Math.sqrt(r);
            terms[i] = Math.log(2) + 0.5 * Math.log1p(-r) + 0.5 * zz * r + StandardNormal.logCdf(x);
        }
        return logMeanExp(terms);
    }

    /** ln Λ for "θ < θ0": the mirror of {@link #logRatioAbove}. */
    public double logRatioBelow(double d, double v) {
        return logRatioAbove(-d, v);
    }

    private double logMeanExp(double[] terms) {
        double max = Arrays.stream(terms).max().orElseThrow();
        if (max == Double.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (double t : terms) sum += Math.exp(t - max);
        return max + Math.log(sum) - logGridSize;
    }

    /** The always-valid p-value {@code min(1, 1/Λ)} of a log ratio. */
    public static double pValue(double logRatio) {
        return logRatio <= 0 ? 1 : Math.exp(-logRatio);
    }
}
