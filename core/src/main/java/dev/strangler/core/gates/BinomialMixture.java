package dev.strangler.core.gates;

/**
 * An exact always-valid test that a failure probability is below a bound, for rare errors where
 * the normal approximation wastes data: {@code k} failures in {@code n} independent trials, null
 * hypothesis {@code p ≥ b}.
 *
 * <p>For each {@code q < b} the likelihood ratio {@code Π (q/b)^x ((1−q)/(1−b))^(1−x)} has expectation
 * at most 1 per trial whenever {@code p ≥ b}, so it is a nonnegative supermartingale; so is its
 * mixture over a uniform prior on {@code [0, w)}, {@code w ≤ b}, which has the closed form
 * <pre>
 *   Λw = B(k+1, n−k+1) · I_w(k+1, n−k+1) / (w · b^k · (1−b)^(n−k))
 * </pre>
 * ({@code I} the regularized incomplete beta function), and so is the average of {@code Λw} over
 * {@code w = b, b/2, b/4, b/8}: a healthy service fails far less often than the bound, and the
 * narrower priors find it sooner. By Ville's inequality {@code P(Λ ever ≥ 1/α) ≤ α} under the null,
 * however often it is looked at (the beta-binomial mixtures of Robbins, 1970). With no failures it
 * needs about {@code 4.3 / b} trials at {@code α = 0.025}, where the normal mixture needs about
 * three times as many.
 */
final class BinomialMixture {
    private BinomialMixture() {
    }

    /** Widths of the uniform priors, as shares of {@code b}: healthy services fail far less than the bound. */
    private static final double[] WIDTHS = {1, 0.5, 0.25, 0.125};

    /** ln Λ for "p < b" after {@code k} failures in {@code n} trials; {@code 0 < b < 1}. */
    static double logRatioBelow(long k, long n, double b) {
        if (!(b > 0 && b < 1) || k < 0 || k > n) {
            throw new IllegalArgumentException("k=" + k + ", n=" + n + ", b=" + b + " (expected: 0 <= k <= n, 0 < b < 1)");
        }
        double max = Double.NEGATIVE_INFINITY;
        double[] logs = new double[WIDTHS.length];
        for (int i = 0; i < WIDTHS.length; i++) {
            logs[i] = logRatioUniform(k, n, b, WIDTHS[i] * b);
            max = Math.max(max, logs[i]);
        }
        double sum = 0;
        for (double l : logs) sum += Math.exp(l - max);
        return max + Math.log(sum / WIDTHS.length);
    }

    /** ln of {@code (1/w) ∫_0^w (q/b)^k ((1−q)/(1−b))^(n−k) dq}: the mixture over a uniform prior on [0, w), w ≤ b. */
    private static double logRatioUniform(long k, long n, double b, double w) {
        double a = k + 1.0;
        double c = n - k + 1.0;
        double rest = k * Math.log(w / b) - (c - 1) * Math.log1p(-b); // the LR's denominator, and w^k against b^k
        if (w < (a + 1) / (a + c + 2)) {
            // I_w = bt · cf(a, c, w) / a with bt = w^a (1−w)^c / B(a, c): the beta functions cancel.
            return rest + c * Math.log1p(-w) + Math.log(continuedFraction(a, c, w)) - Math.log(a);
        }
        double logBeta = logGamma(a) + logGamma(c) - logGamma(a + c);
        double logBt = a * Math.log(w) + c * Math.log1p(-w) - logBeta;
        double complement = Math.exp(logBt) * continuedFraction(c, a, 1 - w) / c;
        return logBeta + Math.log1p(-Math.min(complement, 1 - 1e-16)) - a * Math.log(w) + rest;
    }

    /**
     * {@code P(X ≤ k)} for {@code X ~ Binomial(n, p)}, exactly: {@code I_{1−p}(n−k, k+1)}, the
     * regularized incomplete beta function. The fixed-sample test of {@link ErrorRateGate}'s first
     * eligible look.
     */
    static double lowerTail(long k, long n, double p) {
        if (!(p >= 0 && p <= 1) || k < 0 || n < 0) {
            throw new IllegalArgumentException("k=" + k + ", n=" + n + ", p=" + p + " (expected: k, n >= 0, 0 <= p <= 1)");
        }
        if (k >= n || p == 0) return 1;
        if (p == 1) return 0;
        return regularizedBeta(1 - p, n - k, k + 1.0);
    }

    /** {@code I_x(a, b)} for {@code 0 < x < 1}, {@code a, b > 0} (Numerical Recipes' betai). */
    private static double regularizedBeta(double x, double a, double b) {
        double logBt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        if (x < (a + 1) / (a + b + 2)) return Math.exp(logBt) * continuedFraction(a, b, x) / a;
        return 1 - Math.exp(logBt) * continuedFraction(b, a, 1 - x) / b;
    }

    /** The continued fraction of the incomplete beta function (modified Lentz), Numerical Recipes' betacf. */
    private static double continuedFraction(double a, double b, double x) {
        final double tiny = 1e-300;
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 100_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-13) break;
        }
        return h;
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms: relative error below 1e-13). */
    static double logGamma(double x) {
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        double z = x - 1;
        double sum = g[0];
        for (int i = 1; i < g.length; i++) sum += g[i] / (z + i);
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
