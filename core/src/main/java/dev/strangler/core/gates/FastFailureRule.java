package dev.strangler.core.gates;

import java.util.List;
import java.util.Objects;
import java.util.Optional;


/**
 * The fast path for a service that is down or failing nearly every request while the monolith is
 * healthy: it rolls back on a handful of failed service requests, whatever {@code min-requests} says,
 * including a service that dies in the middle of a long step or of {@code live} (where there is no
 * monolith side to compare with, only the fallbacks).
 *
 * <p><b>Design.</b> Page's CUSUM over the windows in time order, with the log-likelihood ratio of a
 * failing service ({@code p1 = 0.8} of requests fail) against a healthy one ({@code p0 = monolith's
 * rate + allowance + 5 points}, between 5 % and 50 %): each failure adds {@code ln(p1/p0)}, each
 * success adds {@code ln((1−p1)/(1−p0)) < 0}, and the sum restarts from 0 whenever it would go below.
 * A window is added as one block (the order of requests inside a window is unknown), so a window of
 * mostly successes resets the run. The rule fires when the sum reaches {@code ln(1/alpha)} with at
 * least {@value #MIN_FAILURES} failures in the current run: against a healthy monolith (0.2 % errors,
 * one-point allowance) that is 2 of 2, 3 of 5, or 9 of 10; a 1 % canary that gets one request per
 * interval is rolled back at the second look. The evidence is the current run: "8 of 8 requests got
 * no answer". Two is the least: one refused connection is a blip, and a 1 % canary of a quiet route
 * must still be taken out within two intervals.
 *
 * <p><b>Why not only the error-rate test.</b> That test is cumulative over the step: after 500 good
 * requests a dead service needs some 30 failures to move it. The CUSUM forgets the good past at the
 * first window dominated by failures.
 *
 * <p><b>False alarms.</b> A run must climb {@code ln(1/alpha)} before falling to 0; for a service that
 * fails a share {@code p ≤ p0} of requests independently, each failure is a step up of about 2.6 and
 * each success a step down of about 1.5, so the chance that a run started by one failure reaches the
 * threshold is of the order of {@code p²}. It is not counted in {@code alpha}: the simulation
 * (docs/controller-simulation.md) measures false rollbacks of the whole judge, this rule included.
 *
 * <p><b>Monolith healthy.</b> When the monolith itself fails {@value #MONOLITH_UNHEALTHY} or more of
 * its requests over the same windows (a shared database is down, say), the rule stays silent: the
 * service is not the problem, and the error-rate test compares the two.
 */
public final class FastFailureRule {
    /** Fewest failed service requests in the run before the rule fires, whatever the likelihood says. */
    public static final int MIN_FAILURES = 2;
    /** Share of requests a failing service fails, the alternative of the CUSUM. */
    static final double FAILING_RATE = 0.8;
    /** Above the monolith's rate plus the allowance, this much more is still "healthy" for the CUSUM. */
    static final double HEALTHY_MARGIN = 0.05;
    /** A monolith failing at least this share of its requests is not healthy. */
    static final double MONOLITH_UNHEALTHY = 0.2;
    /** Monolith requests needed before its error rate is believed. */
    static final long MONOLITH_MIN_REQUESTS = 10;

    private final double maxIncrease;
    private final double alpha;

    public FastFailureRule(double maxIncrease, double alpha) {
        GateFormat.checkMaxIncrease(maxIncrease);
        GateFormat.checkAlpha(alpha);
        this.maxIncrease = maxIncrease;
        this.alpha = alpha;
    }

    /**
     * The run of failures that fired the rule.
     *
     * @param failed     failed service requests in the run
     * @param of         service requests in the run
     * @param noAnswer   of the failed, those that got no answer (the others answered 5xx)
     * @param summary    one sentence naming it: "service unreachable: 8 of 8 requests got no answer"
     */
    public record Burst(long failed, long of, long noAnswer, String summary) {
        public Burst {
            Objects.requireNonNull(summary, "summary");
        }
    }

    /** The current run of failures if it fires the rule; the windows must be in time order. */
    public Optional<Burst> check(List<WindowCounts> windows) {
        Objects.requireNonNull(windows, "windows");
        long mReq = 0, mErr = 0;
        for (WindowCounts w : windows) {
            mReq += w.monolithRequests();
            mErr += w.monolithErrors();
        }
        double monolithRate = mReq < MONOLITH_MIN_REQUESTS ? 0 : (double) mErr / mReq;
        if (monolithRate >= MONOLITH_UNHEALTHY) return Optional.empty();
        double p0 = Math.min(0.5, Math.max(HEALTHY_MARGIN, monolithRate + maxIncrease + HEALTHY_MARGIN));
        double up = Math.log(FAILING_RATE / p0);
        double down = Math.log((1 - FAILING_RATE) / (1 - p0));
        double threshold = Math.log(1 / alpha);
        double sum = 0;
        long failed = 0, of = 0, noAnswer = 0;
        for (WindowCounts w : windows) {
            long successes = w.serviceRequests() - w.serviceErrors();
            double next = sum + w.serviceErrors() * up + successes * down;
            if (next <= 0) {
                sum = 0;
                failed = of = noAnswer = 0;
            } else {
                sum = next;
                failed += w.serviceErrors();
                of += w.serviceRequests();
                noAnswer += w.serviceHardFailures();
            }
        }
        if (sum < threshold || failed < MIN_FAILURES) return Optional.empty();
        return Optional.of(new Burst(failed, of, noAnswer, summary(failed, of, noAnswer, mReq, mErr)));
    }

    private static String summary(long failed, long of, long noAnswer, long mReq, long mErr) {
        String monolith = mReq == 0 ? "" : ", while the monolith failed " + mErr + " of " + mReq;
        if (noAnswer == failed) {
            return "service unreachable: " + failed + " of " + of + " requests got no answer (refused, timed out or reset)"
                    + monolith;
        }
        if (noAnswer == 0) return "service failing: " + failed + " of " + of + " requests answered 5xx" + monolith;
        return "service failing: " + failed + " of " + of + " requests failed (" + noAnswer + " got no answer, "
                + (failed - noAnswer) + " answered 5xx)" + monolith;
    }
}
