package dev.strangler.core.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * What a route must show before the controller moves it one step further.
 *
 * @param minRequests        requests (canary: on each side) or comparisons (shadow) since the step began
 * @param minTime            time spent at the step: traffic changes over the day, and a step that
 *                           lasted a minute has not seen the slow hour
 * @param maxErrorIncrease   allowed absolute increase of the service's error rate over the monolith's
 *                           (0.01 = one percentage point), judged by a one-sided two-proportion test
 * @param maxLatencyIncrease allowed relative increase of latency (0.2 = 20 % slower), judged by Mann-Whitney U
 * @param minMatchRate       share of shadow comparisons whose answers matched, to leave {@code shadow}
 * @param confidence         1 − the tests' significance level: how sure a failure must be to roll back
 */
public record Gates(long minRequests, Duration minTime, double maxErrorIncrease, double maxLatencyIncrease,
                    double minMatchRate, double confidence) {
    public static final Gates DEFAULT = new Gates(200, Duration.ofMinutes(5), 0.01, 0.20, 0.99, 0.95);

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
    }

    /** The tests' significance level. */
    public double alpha() {
        return 1 - confidence;
    }
}
