package dev.strangler.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Passive outlier ejection of a service's endpoints (Envoy's {@code consecutive_gateway_failure} with
 * {@code base_ejection_time} and {@code max_ejection_time}): after {@code consecutiveFailures} hard
 * failures in a row (refused, connect timeout, reset) an endpoint gets no user traffic for
 * {@code ejectionTime} times the number of times it was ejected in a row, at most
 * {@code maxEjectionTime}. {@code consecutiveFailures} 0 turns ejection off.
 *
 * @param consecutiveFailures hard failures in a row that eject an endpoint; 0 = never eject
 * @param ejectionTime        how long the first ejection lasts; the n-th in a row lasts n times as long
 * @param maxEjectionTime     the longest one ejection lasts
 */
public record Outlier(int consecutiveFailures, Duration ejectionTime, Duration maxEjectionTime) {
    /** What a backend without an {@code outlier} key gets. */
    public static final Outlier DEFAULT = new Outlier(Defaults.OUTLIER_CONSECUTIVE_FAILURES,
            Defaults.OUTLIER_EJECTION_TIME, Defaults.OUTLIER_MAX_EJECTION_TIME);
    /** No ejection (the monolith: there is nothing to send its requests to instead). */
    public static final Outlier OFF = new Outlier(0, Defaults.OUTLIER_EJECTION_TIME, Defaults.OUTLIER_MAX_EJECTION_TIME);

    public Outlier {
        Objects.requireNonNull(ejectionTime, "ejectionTime");
        Objects.requireNonNull(maxEjectionTime, "maxEjectionTime");
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures: " + consecutiveFailures + " (expected: >= 0)");
        }
        if (ejectionTime.isNegative() || ejectionTime.isZero()) {
            throw new IllegalArgumentException("ejectionTime: " + ejectionTime + " (expected: > 0)");
        }
        if (maxEjectionTime.compareTo(ejectionTime) < 0) {
            throw new IllegalArgumentException("maxEjectionTime: " + maxEjectionTime + " (expected: >= ejectionTime " + ejectionTime + ")");
        }
    }

    /** Whether endpoints are ever ejected. */
    public boolean isEnabled() {
        return consecutiveFailures > 0;
    }

    /** How long the {@code n}-th ejection in a row lasts (n ≥ 1). */
    public Duration ejectionTime(int n) {
        if (n < 1) throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
        Duration d = ejectionTime.multipliedBy(Math.min(n, 1_000_000));
        return d.compareTo(maxEjectionTime) > 0 ? maxEjectionTime : d;
    }
}
