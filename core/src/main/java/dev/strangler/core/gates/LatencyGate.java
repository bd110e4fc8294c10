package dev.strangler.core.gates;

import java.util.List;
import java.util.Objects;

import static dev.strangler.core.gates.GateFormat.fixed;

/**
 * The latency gate: a sequential, always-valid test of whether the service's typical latency
 * exceeds the monolith's by more than allowed. It may be run after every window (see
 * {@link MixtureSprt}): the chance it ever says FAIL for a service within the allowance is at most
 * {@code alpha}, and likewise for PASS of a service beyond it.
 *
 * <p><b>Why log-latencies.</b> Latencies are skewed and roughly log-normal; their logs are close to
 * symmetric, so the mean log (the log of the geometric mean, the median of a log-normal) is estimated
 * well by a normal approximation from a few dozen values, and a relative allowance becomes a shift:
 * "at most 20 % slower" is {@code θ = mean ln(service) − mean ln(monolith) ≤ ln 1.2}. A rank test
 * (the previous Mann-Whitney gate) has no always-valid form as simple as this one, and it cannot
 * compare within windows.
 *
 * <p><b>Same time span.</b> The difference is estimated window by window and combined with
 * inverse-variance weights, {@code θ̂ = Σ w·(meanS − meanM) / Σ w}, {@code V = 1/Σ w},
 * {@code w = 1/(σS²/nS + σM²/nM + τ²)}, over the windows where both sides have latencies — so a
 * canary that only ran in the quiet hour is compared with the monolith's quiet hour. Each side's
 * variance {@code σ²} is that of all its log-latencies in those windows. {@code τ²} is the variance
 * of the difference between windows beyond sampling (a random-effects model, estimated from the
 * windows, never below a 5 % floor): one busy window with a GC pause on the service is not, alone,
 * confident evidence. The caller leaves out the warm-up's windows.
 *
 * <p><b>Floor.</b> The allowance is {@code ln(max(1 + maxIncrease, 1 + floorMillis / typicalMonolith))},
 * with the monolith's typical latency over the same windows: 3 ms against 6 ms with a 5 ms floor is
 * within the allowance, 30 ms against 60 ms is not.
 *
 * <p><b>Assumptions.</b> Latencies within a window are independent given the window; the sample of
 * each window is uniform (the gateway's reservoir); the normal approximation of the weighted mean
 * difference of logs holds (each side's variance is shrunk towards a wide prior, a log-variance of 1,
 * by five pseudo-values, so a handful of values is never taken for certainty). Immutable and thread-safe.
 */
public final class LatencyGate {
    /** Prior scales of the log-ratio: a few percent up to several times slower. */
    static final MixtureSprt SPRT = new MixtureSprt(0.03, 0.1, 0.3, 1.0);
    /** The prior log-variance (σ = 1, latencies spread over a factor e): wide, i.e. little evidence. */
    static final double UNKNOWN_LOG_VARIANCE = 1.0;
    /**
     * Least variance of the log-latency difference between windows, whatever the data say: two
     * sides' typical latencies drift apart by some 5 % from one window to the next (GC pauses, noisy
     * neighbours, different hosts) without either being slower.
     */
    static final double WINDOW_NOISE = 0.05 * 0.05;
    /** Pseudo-values of the prior log-variance added to each side's sample variance. */
    static final int PRIOR_VALUES = 5;
    /** Smallest log-variance used: identical values must not make the test infinitely sure. */
    static final double MIN_LOG_VARIANCE = 1e-4;

    private final double maxIncrease;
    private final double floorMillis;
    private final double alpha;

    /**
     * @param maxIncrease allowed relative increase, e.g. 0.2 for 20 % slower
     * @param floorMillis an increase of the typical latency by at most this many milliseconds is always allowed
     * @param alpha       chance of a false FAIL (and of a false PASS) over all looks
     */
    public LatencyGate(double maxIncrease, double floorMillis, double alpha) {
        GateFormat.checkMaxIncrease(maxIncrease);
        if (!(floorMillis >= 0 && Double.isFinite(floorMillis)))
            throw new IllegalArgumentException("floorMillis: " + floorMillis + " (expected: finite and >= 0)");
        GateFormat.checkAlpha(alpha);
        this.maxIncrease = maxIncrease;
        this.floorMillis = floorMillis;
        this.alpha = alpha;
    }

    /** One window's latencies of both sides. */
    public record Pair(LogLatencies service, LogLatencies monolith) {
        public Pair {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(monolith, "monolith");
        }
    }

    public GateResult judge(List<Pair> windows) {
        Objects.requireNonNull(windows, "windows");
        LogLatencies allS = LogLatencies.NONE;
        LogLatencies allM = LogLatencies.NONE;
        int used = 0;
        for (Pair w : windows) {
            if (w.service().n() == 0 || w.monolith().n() == 0) continue;
            allS = allS.plus(w.service());
            allM = allM.plus(w.monolith());
            used++;
        }
        if (used == 0) {
            return new GateResult(Verdict.NOT_ENOUGH_DATA, Double.NaN, Math.log1p(maxIncrease), 1, 1,
                    "no window with latencies on both sides yet: NOT_ENOUGH_DATA");
        }
        double varS = variance(allS);
        double varM = variance(allM);
        double[] d = new double[used];
        double[] v = new double[used];
        double[] m = new double[used];
        int i = 0;
        for (Pair w : windows) {
            if (w.service().n() == 0 || w.monolith().n() == 0) continue;
            d[i] = w.service().mean() - w.monolith().mean();
            v[i] = varS / w.service().n() + varM / w.monolith().n();
            m[i++] = w.monolith().mean();
        }
        double between = betweenWindowVariance(d, v);
        double sumW = 0, sumWD = 0, sumWM = 0;
        for (int k = 0; k < used; k++) {
            double weight = 1 / (v[k] + between);
            sumW += weight;
            sumWD += weight * d[k];
            sumWM += weight * m[k];
        }
        double estimate = sumWD / sumW;
        double variance = 1 / sumW;
        double typicalMonolith = Math.exp(sumWM / sumW);
        double typicalService = typicalMonolith * Math.exp(estimate);
        double allowedRatio = Math.max(1 + maxIncrease, 1 + floorMillis / typicalMonolith);
        double allowance = Math.log(allowedRatio);
        double pWorse = MixtureSprt.pValue(SPRT.logRatioAbove(estimate - allowance, variance));
        double pNotWorse = MixtureSprt.pValue(SPRT.logRatioBelow(estimate - allowance, variance));
        Verdict verdict = pWorse <= alpha ? Verdict.FAIL : pNotWorse <= alpha ? Verdict.PASS : Verdict.NOT_ENOUGH_DATA;
        String allowed = "×" + fixed(allowedRatio, 2) + " (+" + fixed(100 * maxIncrease, 0) + "% or +"
                + (floorMillis == Math.rint(floorMillis) ? Long.toString((long) floorMillis) : number(floorMillis))
                + " ms, whichever is more)";
        String conclusion = switch (verdict) {
            case FAIL -> "confidently slower than allowed (" + ErrorRateGate.p(pWorse) + "): FAIL";
            case PASS -> "confidently within the allowance (" + ErrorRateGate.p(pNotWorse) + "): PASS";
            case NOT_ENOUGH_DATA -> "not yet sure either way (slower: " + ErrorRateGate.p(pWorse) + ", within: "
                    + ErrorRateGate.p(pNotWorse) + "): NOT_ENOUGH_DATA";
        };
        return new GateResult(verdict, estimate, allowance, pWorse, pNotWorse,
                "service typical " + number(typicalService) + " ms vs monolith " + number(typicalMonolith)
                        + " ms over the same " + used + " windows (" + allS.n() + " and " + allM.n() + " values): ×"
                        + fixed(Math.exp(estimate), 2) + ", allowed " + allowed + ", " + conclusion);
    }

    /**
     * How much the difference between the sides varies from window to window beyond sampling: the
     * DerSimonian–Laird estimate of a random-effects meta-analysis, at least {@link #WINDOW_NOISE}.
     * Without it a busy window (1,000 values a side) whose service happened to hit a GC pause would
     * alone be "confident" evidence.
     */
    static double betweenWindowVariance(double[] d, double[] v) {
        int k = d.length;
        if (k < 2) return WINDOW_NOISE;
        double sumW = 0, sumW2 = 0, sumWD = 0;
        for (int i = 0; i < k; i++) {
            double w = 1 / v[i];
            sumW += w;
            sumW2 += w * w;
            sumWD += w * d[i];
        }
        double fixed = sumWD / sumW;
        double q = 0;
        for (int i = 0; i < k; i++) q += (d[i] - fixed) * (d[i] - fixed) / v[i];
        double c = sumW - sumW2 / sumW;
        double estimate = c > 0 ? Math.max(0, (q - (k - 1)) / c) : 0;
        return Math.max(WINDOW_NOISE, estimate);
    }

    /**
     * The side's log-variance, shrunk towards a wide prior by {@value #PRIOR_VALUES} pseudo-values:
     * a sample variance from a handful of values is often far too small, and the normal test would
     * then be sure too early (a t-distribution's heavy tails, handled the cheap way).
     */
    private static double variance(LogLatencies side) {
        double v = (side.m2() + PRIOR_VALUES * UNKNOWN_LOG_VARIANCE) / (Math.max(0, side.n() - 1) + PRIOR_VALUES);
        return Math.max(MIN_LOG_VARIANCE, v);
    }

    private static String number(double millis) {
        return fixed(millis, millis >= 100 ? 0 : millis >= 10 ? 1 : 2);
    }
}
