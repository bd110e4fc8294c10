package dev.strangler.core.gates;

import java.util.List;
import java.util.Objects;

import static dev.strangler.core.gates.GateFormat.fixed;

/**
 * The error-rate gate: a sequential, always-valid test of whether the service's error rate exceeds
 * the monolith's plus an allowed absolute margin ({@code θ = pService − pMonolith}, boundary
 * {@code θ0 = maxIncrease}). It may be run after every window: the chance that it ever says FAIL for
 * a service within the allowance is at most {@code alpha}, and likewise for PASS of a service beyond
 * it, however many looks (see {@link MixtureSprt}).
 *
 * <p><b>Estimate.</b> The difference is estimated window by window — both sides of a window cover the
 * same time span — and the windows are combined with inverse-variance weights:
 * {@code θ̂ = Σ w·(eS/nS − eM/nM) / Σ w}, {@code V = 1 / Σ w}, {@code w = 1 / (p̃S(1−p̃S)/nS + p̃M(1−p̃M)/nM)}.
 * A window where one side had no requests says nothing about the difference and is skipped. The
 * per-request variances use the step's rates with one error and one success added per side
 * ({@code p̃ = (e+1)/(n+2)}, Agresti–Caffo), so a side without errors still has a variance and a
 * handful of requests is never mistaken for certainty.
 *
 * <p><b>PASS</b> ("within the allowance") is tested exactly instead, by {@link BinomialMixture}: the
 * service's failures against the bound {@code b = monolith's rate over the same windows (lowered by
 * two standard errors) + maxIncrease}. Errors are usually rare, and there the normal approximation
 * is poor in both ways: with the observed variance a service at the boundary that had a lucky
 * stretch passes too often (4 % instead of 2.5 % in our runs), with the variance at the boundary it
 * needs twice the data. The exact test needs about {@code 4.3 / b} service requests without errors
 * (some 400 for a healthy monolith and the default one point), more with a few. With a 1 % canary the weights are nearly the
 * service's request counts, so {@code θ̂} is the service's rate minus the monolith's rate over the
 * same windows.
 *
 * <p><b>PASS spends its alpha where it can promote.</b> Looks before a step's {@code min-time} and
 * {@code min-requests} cannot promote, so an always-valid test there buys nothing. The PASS side's
 * alpha is split (Bonferroni, an alpha-spending plan with two parts): {@link #FIRST_LOOK_SHARE} (80
 * %) goes to one exact fixed-sample binomial test, {@code P(X ≤ k) ≤ 0.8·alpha} for
 * {@code X ~ Binomial(n, b)}, over the windows of the first look that could promote (the caller
 * names them, see {@code StepJudge.firstEligible}: they are chosen by time and request counts
 * only, so this is one test however often the controller looks afterwards); the other 20 % to the
 * always-valid test above, over every look. A service worse than allowed passes either with a
 * chance of at most its share, so of at most {@code alpha} in all. The reported {@code pNotWorse} is
 * {@code min(pExact / 0.8, pAlwaysValid / 0.2)}. Why: the quiet 1 % step of a busy route sees some
 * 550 requests in five minutes; with one error among them the always-valid test (and even the
 * likelihood ratio at the true rate) is not yet sure at 2.5 %, the exact test is (1.4 %). In the
 * simulation (docs/controller-simulation.md) this took the A/A ramps on time with a 10:1 load swing
 * from 93.2 % to 97.6 % (a 60/40 split: 96.3 %; 90/10: 97.8 %), while a service exactly at the
 * allowance was promoted in 0.7 % of ramps and one beyond it in none. The exact test reads only the
 * first eligible look's windows: a service that gets worse afterwards is for the FAIL side.
 *
 * <p><b>No minimum count.</b> The mixture test needs none: with few requests {@code V} is large and
 * the evidence small. A dead service is FAIL after 3 of 3 failed requests against a healthy monolith
 * (with the default allowance and alpha); {@link FastFailureRule} catches a service that dies in the
 * middle of a long step sooner.
 *
 * <p><b>Assumptions.</b> Requests fail independently given the window, and the normal approximation
 * of the weighted difference holds; it is least accurate for rare errors near the boundary, where the
 * binomial's right skew makes a false FAIL somewhat likelier than {@code alpha} (the simulation in
 * docs/controller-simulation.md measures it at exactly the boundary).
 *
 * <p>Immutable and thread-safe; {@link #judge} is a pure function.
 */
public final class ErrorRateGate {
    /** Prior scales (error-rate points as fractions): a fraction of a point up to an outage. */
    static final MixtureSprt SPRT = new MixtureSprt(0.005, 0.02, 0.08, 0.3);

    /**
     * Share of the PASS side's alpha spent on the fixed-sample test at the first eligible look; the
     * rest goes to the sequential test over every look.
     */
    static final double FIRST_LOOK_SHARE = 0.8;

    /** Standard errors the monolith's rate is lowered by before a PASS is tested against it. */
    static final double MONOLITH_SE = 2;

    private final double maxIncrease;
    private final double alpha;

    /**
     * @param maxIncrease allowed absolute increase of the error rate, e.g. 0.01 for one point
     * @param alpha       chance of a false FAIL (and of a false PASS) over all looks, e.g. 0.025
     */
    public ErrorRateGate(double maxIncrease, double alpha) {
        GateFormat.checkMaxIncrease(maxIncrease);
        if (maxIncrease >= 1) throw new IllegalArgumentException("maxIncrease: " + maxIncrease + " (expected: < 1)");
        GateFormat.checkAlpha(alpha);
        this.maxIncrease = maxIncrease;
        this.alpha = alpha;
    }

    /** The gate with no look eligible for a promotion yet: only the sequential tests count. */
    public GateResult judge(List<WindowCounts> windows) {
        return judge(windows, 0);
    }

    /**
     * @param eligible how many of the windows, from the first, the step had at its first look that
     *                 could promote (minimum time passed, minimum requests reached): the sample of the
     *                 fixed-sample PASS test; 0 while there was no such look
     */
    public GateResult judge(List<WindowCounts> windows, int eligible) {
        Objects.requireNonNull(windows, "windows");
        if (eligible < 0 || eligible > windows.size()) {
            throw new IllegalArgumentException("eligible: " + eligible + " (expected: 0.." + windows.size() + ")");
        }
        Totals all = Totals.of(windows);
        if (all.used == 0) {
            return new GateResult(Verdict.NOT_ENOUGH_DATA, Double.NaN, maxIncrease, 1, 1,
                    "no window with requests on both sides yet: NOT_ENOUGH_DATA");
        }
        String compared = "service errors " + fixed(percent(all.sErr, all.sReq), 2) + "% (" + all.sErr + "/" + all.sReq
                + ") vs monolith " + fixed(percent(all.mErr, all.mReq), 2) + "% (" + all.mErr + "/" + all.mReq
                + ") over the same " + all.used + " windows";
        double ps = (all.sErr + 1.0) / (all.sReq + 2.0);
        double pm = (all.mErr + 1.0) / (all.mReq + 2.0);
        Difference observed = difference(windows, ps * (1 - ps), pm * (1 - pm));
        double estimate = observed.estimate;
        double variance = observed.variance;
        double pWorse = MixtureSprt.pValue(SPRT.logRatioAbove(estimate - maxIncrease, variance));
        double bound = serviceBound(windows, pm);
        double pSequential = bound <= 0 ? 1 : MixtureSprt.pValue(BinomialMixture.logRatioBelow(all.sErr, all.sReq, bound));
        double pNotWorse = Math.min(1, Math.min(pSequential / (1 - FIRST_LOOK_SHARE),
                firstLookPValue(windows.subList(0, eligible)) / FIRST_LOOK_SHARE));
        Verdict verdict = pWorse <= alpha ? Verdict.FAIL : pNotWorse <= alpha ? Verdict.PASS : Verdict.NOT_ENOUGH_DATA;
        String conclusion = switch (verdict) {
            case FAIL -> "confidently above the allowed " + points(maxIncrease) + " points (" + p(pWorse) + "): FAIL";
            case PASS -> "confidently within the allowed " + points(maxIncrease) + " points (" + p(pNotWorse) + "): PASS";
            case NOT_ENOUGH_DATA -> "not yet sure either way against the allowed " + points(maxIncrease) + " points (above: "
                    + p(pWorse) + ", within: " + p(pNotWorse) + "): NOT_ENOUGH_DATA";
        };
        return new GateResult(verdict, estimate, maxIncrease, pWorse, pNotWorse,
                compared + ": " + (estimate >= 0 ? "+" : "−") + points(Math.abs(estimate)) + " points ±"
                        + points(Math.sqrt(variance)) + ", " + conclusion);
    }

    private record Difference(double estimate, double variance) {
    }

    /** The counts summed over the windows with requests on both sides. */
    private record Totals(long sReq, long sErr, long mReq, long mErr, int used) {
        static Totals of(List<WindowCounts> windows) {
            long sReq = 0, sErr = 0, mReq = 0, mErr = 0;
            int used = 0;
            for (WindowCounts w : windows) {
                if (w.serviceRequests() == 0 || w.monolithRequests() == 0) continue;
                sReq += w.serviceRequests();
                sErr += w.serviceErrors();
                mReq += w.monolithRequests();
                mErr += w.monolithErrors();
                used++;
            }
            return new Totals(sReq, sErr, mReq, mErr, used);
        }
    }

    /**
     * The exact fixed-sample p-value of "worse than allowed" over the first eligible look's windows:
     * {@code P(X ≤ k)} for the service's {@code k} failures in {@code n} requests, {@code X ~
     * Binomial(n, b)} at the same bound as the sequential test; 1 with no such look.
     */
    private double firstLookPValue(List<WindowCounts> prefix) {
        Totals t = Totals.of(prefix);
        if (t.used == 0) return 1;
        double bound = serviceBound(prefix, (t.mErr + 1.0) / (t.mReq + 2.0));
        return bound <= 0 ? 1 : BinomialMixture.lowerTail(t.sErr, t.sReq, bound);
    }

    /**
     * The rate the service must be confidently below to PASS: the monolith's rate over the same
     * windows (each weighted by the service's requests in it, so both cover the same time span),
     * lowered by two standard errors so the monolith's own noise cannot make passing easier, plus
     * the allowance.
     */
    private double serviceBound(List<WindowCounts> windows, double pooledMonolithRate) {
        double unitM = pooledMonolithRate * (1 - pooledMonolithRate);
        double sumN = 0, sumRate = 0, sumVar = 0;
        for (WindowCounts w : windows) {
            if (w.serviceRequests() == 0 || w.monolithRequests() == 0) continue;
            double n = w.serviceRequests();
            sumN += n;
            sumRate += n * w.monolithErrors() / w.monolithRequests();
            sumVar += n * n * unitM / w.monolithRequests();
        }
        double monolithLow = Math.max(0, sumRate / sumN - MONOLITH_SE * Math.sqrt(sumVar) / sumN);
        return Math.min(1 - 1e-9, monolithLow + maxIncrease);
    }

    /** The inverse-variance weighted difference of the windows' error rates, given per-request variances. */
    private static Difference difference(List<WindowCounts> windows, double unitS, double unitM) {
        double sumW = 0;
        double sumWD = 0;
        for (WindowCounts w : windows) {
            if (w.serviceRequests() == 0 || w.monolithRequests() == 0) continue;
            double weight = 1 / (unitS / w.serviceRequests() + unitM / w.monolithRequests());
            double d = (double) w.serviceErrors() / w.serviceRequests() - (double) w.monolithErrors() / w.monolithRequests();
            sumW += weight;
            sumWD += weight * d;
        }
        return new Difference(sumWD / sumW, 1 / sumW);
    }

    private static double percent(long errors, long requests) {
        return requests == 0 ? 0 : 100.0 * errors / requests;
    }

    private static String points(double fraction) {
        return fixed(100 * fraction, 2);
    }

    static String p(double p) {
        return "always-valid " + GateFormat.pValue(p);
    }
}
