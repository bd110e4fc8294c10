package dev.strangler.core.gates;

import static dev.strangler.core.gates.GateFormat.f;

/**
 * The error-rate gate: a one-sided two-proportion z-test of whether the service's error proportion
 * is significantly higher than the monolith's plus an allowed absolute margin.
 *
 * <p>Null hypothesis: {@code pService − pMonolith ≤ maxIncrease}. The statistic is
 * {@code z = (p̂s − p̂m − maxIncrease) / sqrt(p̂(1−p̂)(1/ns + 1/nm))} with the pooled rate
 * {@code p̂}; the gate FAILs when the upper-tail p-value is below {@code alpha}. The pooled
 * standard error is used because it stays defined when one side has no errors at all.
 *
 * <p>The normal approximation is only trusted when both sides have at least {@code minRequests}
 * requests and, with the pooled rate, every expected count {@code n·p̂} and {@code n·(1−p̂)} is at
 * least {@value #MIN_EXPECTED_COUNT}. Otherwise the verdict is NOT_ENOUGH_DATA and no decision is
 * made. Consequently two sides with no errors at all are NOT_ENOUGH_DATA, not PASS: the caller
 * decides what a window without errors means.
 *
 * <p>Immutable and thread-safe; {@link #judge} is a pure function.
 */
public final class ProportionTest {
    /** Smallest expected count per cell for which the normal approximation is trusted. */
    public static final double MIN_EXPECTED_COUNT = 5.0;
    /** A common significance level for the gates. */
    public static final double DEFAULT_ALPHA = 0.05;

    private final double maxIncrease;
    private final double alpha;
    private final long minRequests;

    /**
     * @param maxIncrease allowed absolute increase of the error proportion, e.g. 0.01 for one point
     * @param alpha significance level, e.g. 0.05
     * @param minRequests fewest requests per side before anything is decided, at least 1
     */
    public ProportionTest(double maxIncrease, double alpha, long minRequests) {
        GateFormat.checkMaxIncrease(maxIncrease);
        if (maxIncrease >= 1) throw new IllegalArgumentException("maxIncrease: " + maxIncrease + " (expected: < 1)");
        GateFormat.checkAlpha(alpha);
        if (minRequests < 1) throw new IllegalArgumentException("minRequests: " + minRequests + " (expected: >= 1)");
        this.maxIncrease = maxIncrease;
        this.alpha = alpha;
        this.minRequests = minRequests;
    }

    public ErrorRateResult judge(long serviceErrors, long serviceRequests, long monolithErrors, long monolithRequests) {
        checkCounts("service", serviceErrors, serviceRequests);
        checkCounts("monolith", monolithErrors, monolithRequests);
        double ps = serviceRequests == 0 ? 0 : (double) serviceErrors / serviceRequests;
        double pm = monolithRequests == 0 ? 0 : (double) monolithErrors / monolithRequests;
        String compared = f("service errors %.1f%% (%d/%d) vs monolith %.1f%% (%d/%d)",
                100 * ps, serviceErrors, serviceRequests, 100 * pm, monolithErrors, monolithRequests);

        if (serviceRequests < minRequests || monolithRequests < minRequests) {
            return new ErrorRateResult(Verdict.NOT_ENOUGH_DATA, ps, pm, Double.NaN, Double.NaN,
                    f("%s: fewer than %d requests on a side: NOT_ENOUGH_DATA", compared, minRequests));
        }
        double pooled = (double) (serviceErrors + monolithErrors) / (serviceRequests + monolithRequests);
        long smallerSide = Math.min(serviceRequests, monolithRequests);
        double smallestExpected = smallerSide * Math.min(pooled, 1 - pooled);
        if (smallestExpected < MIN_EXPECTED_COUNT) {
            return new ErrorRateResult(Verdict.NOT_ENOUGH_DATA, ps, pm, Double.NaN, Double.NaN,
                    f("%s: expected count %.1f < %.0f, too few for the normal approximation: NOT_ENOUGH_DATA",
                            compared, smallestExpected, MIN_EXPECTED_COUNT));
        }

        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / serviceRequests + 1.0 / monolithRequests));
        double difference = ps - pm;
        double z = (difference - maxIncrease) / se;
        double p = StandardNormal.upperTail(z);
        boolean fails = p < alpha;
        Verdict verdict = fails ? Verdict.FAIL : Verdict.PASS;
        return new ErrorRateResult(verdict, ps, pm, z, p, f("%s: %s by %.1f points, z=%.2f, %s, %s allowed %.1f points: %s",
                compared, difference >= 0 ? "higher" : "lower", 100 * Math.abs(difference), z, GateFormat.pValue(p),
                fails ? "significantly above" : "not significantly above", 100 * maxIncrease, verdict));
    }

    private static void checkCounts(String side, long errors, long requests) {
        if (requests < 0 || errors < 0 || errors > requests) {
            throw new IllegalArgumentException(f("%s: %d errors of %d requests (expected: 0 <= errors <= requests)",
                    side, errors, requests));
        }
    }
}
