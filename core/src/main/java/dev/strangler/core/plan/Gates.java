package dev.strangler.core.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * What a route must show before the controller moves it one step further, and what rolls it back.
 *
 * @param minRequests        requests (canary: on each side) or comparisons (shadow) since the step began,
 *                           before a promotion; never needed for a rollback
 * @param minTime            time spent at the step: traffic changes over the day, and a step that
 *                           lasted a minute has not seen the slow hour
 * @param maxErrorIncrease   allowed absolute increase of the service's error rate over the monolith's
 *                           (0.01 = one percentage point), judged by a sequential (always-valid) test
 * @param maxLatencyIncrease allowed relative increase of the typical latency (0.2 = 20 % slower),
 *                           judged by a sequential test on log-latencies
 * @param minMatchRate       share of shadow comparisons whose answers matched, to leave {@code shadow}
 * @param confidence         1 − the chance of a false rollback (or a false promotion) over a whole step,
 *                           however often the controller looks
 * @param warmUp             the first part of each step, whose latency is not judged (errors are);
 *                           never more than half of {@code minTime}: see {@link #effectiveWarmUp()}
 * @param minLatencyIncrease an absolute floor on the allowed latency increase: a typical latency within
 *                           this much of the monolith's never fails, whatever the relative allowance says
 */
public record Gates(long minRequests, Duration minTime, double maxErrorIncrease, double maxLatencyIncrease,
                    double minMatchRate, double confidence, Duration warmUp, Duration minLatencyIncrease) {
    /** Default of {@code gates.warm-up}: a freshly started JVM's JIT and pools need about this long. */
    public static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(30);
    /** Default of {@code gates.min-latency-increase}: a few milliseconds on a fast endpoint are noise to users. */
    public static final Duration DEFAULT_MIN_LATENCY_INCREASE = Duration.ofMillis(5);
    public static final Gates DEFAULT = new Gates(200, Duration.ofMinutes(5), 0.01, 0.20, 0.99, 0.95,
            DEFAULT_WARM_UP, DEFAULT_MIN_LATENCY_INCREASE);

    public Gates {
        if (minRequests < 1) throw new IllegalArgumentException("minRequests: " + minRequests + " (expected: >= 1)");
        Objects.requireNonNull(minTime, "minTime");
        if (minTime.isNegative()) throw new IllegalArgumentException("minTime: " + minTime + " (expected: >= 0)");
        if (!(maxErrorIncrease >= 0 && maxErrorIncrease < 1))
            throw new IllegalArgumentException("maxErrorIncrease: " + maxErrorIncrease + " (expected: 0 <= x < 1)");
        if (!(maxLatencyIncrease >= 0 && Double.isFinite(maxLatencyIncrease)))
            throw new IllegalArgumentException("maxLatencyIncrease: " + maxLatencyIncrease + " (expected: >= 0)");
        if (!(minMatchRate >= 0 && minMatchRate <= 1))
            throw new IllegalArgumentException("minMatchRate: " + minMatchRate + " (expected: 0..1)");
        if (!(confidence > 0.5 && confidence < 1))
            throw new IllegalArgumentException("confidence: " + confidence + " (expected: 0.5 < x < 1)");
        Objects.requireNonNull(warmUp, "warmUp");
        if (warmUp.isNegative()) throw new IllegalArgumentException("warmUp: " + warmUp + " (expected: >= 0)");
        Objects.requireNonNull(minLatencyIncrease, "minLatencyIncrease");
        if (minLatencyIncrease.isNegative())
            throw new IllegalArgumentException("minLatencyIncrease: " + minLatencyIncrease + " (expected: >= 0)");
    }

    /** Gates with the default warm-up and latency floor. */
    public Gates(long minRequests, Duration minTime, double maxErrorIncrease, double maxLatencyIncrease,
                 double minMatchRate, double confidence) {
        this(minRequests, minTime, maxErrorIncrease, maxLatencyIncrease, minMatchRate, confidence, DEFAULT_WARM_UP,
                DEFAULT_MIN_LATENCY_INCREASE);
    }

    /** The chance of a false rollback (or promotion) over a step, shared by the error and latency tests. */
    public double alpha() {
        return 1 - confidence;
    }

    /**
     * The warm-up actually applied: {@code warmUp}, but at most half of {@code minTime}, so that a
     * short step still has time to judge latency before it may be promoted.
     */
    public Duration effectiveWarmUp() {
        Duration half = minTime.dividedBy(2);
        return warmUp.compareTo(half) <= 0 ? warmUp : half;
    }

    /** {@link #minLatencyIncrease} in milliseconds. */
    public double minLatencyIncreaseMillis() {
        return minLatencyIncrease.toNanos() / 1e6;
    }
}
