package dev.strangler.core.gates;

/**
 * The standard normal distribution, computed without a statistics library.
 *
 * <p>The complementary error function uses the Chebyshev-fitted approximation from Numerical
 * Recipes ({@code erfcc}), whose fractional error is below 1.2e-7 everywhere; p-values are only
 * compared against alphas like 0.05, so this is far more precise than any gate needs.
 */
public final class StandardNormal {
    private StandardNormal() {
    }

    /** P(Z ≤ z). */
    public static double cdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2.0));
    }

    /** P(Z ≥ z): the one-sided p-value of a test statistic z. */
    public static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2.0));
    }

    /**
     * ln P(Z ≤ z), accurate far into the lower tail where {@code cdf} underflows to 0 (z below about
     * −38): the sequential gates add it to large exponents, so −∞ would be wrong there.
     */
    public static double logCdf(double z) {
        if (Double.isNaN(z)) return Double.NaN;
        if (z >= 0) return Math.log1p(-upperTail(z));
        double x = -z / Math.sqrt(2.0); // cdf(z) = erfc(x) / 2 with x > 0
        double t = 1.0 / (1.0 + 0.5 * x);
        return Math.log(0.5) + Math.log(t) - x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
    }

    /** The complementary error function, fractional error below 1.2e-7. */
    static double erfc(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        if (x == 0) return 1.0; // exact, so that cdf(0) is exactly one half
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }
}
