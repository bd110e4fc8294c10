package dev.strangler.control.view;

import dev.strangler.control.controller.Evidence;
import dev.strangler.core.plan.SideSample;

import java.time.Duration;
import java.util.Optional;

/**
 * One side's numbers over a window (the monolith, or the service counting every failure, also
 * those the monolith's fallback hid). A count the windows gain later is one component here and one
 * argument in {@link #of}. The rate is per second over the span. Rates and quantiles are empty until something was measured.
 */
public record SideView(long requests, double ratePerSecond, long errors, long hardFailures, long fallbacks,
                       Optional<Double> errorRate,
                       Optional<Double> p50Ms, Optional<Double> p99Ms) {
    public static final SideView NONE = of(SideSample.NONE, Duration.ZERO);

    /** @param span the time the sample covers, for the request rate (0 gives a rate of 0) */
    public static SideView of(SideSample s, Duration span) {
        return of(s, span, 0);
    }

    /**
     * @param fallbacks requests of this side (the service) that the monolith answered in its place:
     *                  already counted as this side's hard failures, shown so nobody mistakes a
     *                  healthy-looking monolith for a healthy service
     */
    public static SideView of(SideSample s, Duration span, long fallbacks) {
        double[] sample = s.latenciesMillis();
        double seconds = span.toNanos() / 1e9;
        return new SideView(s.requests(), seconds <= 0 ? 0 : Math.round(s.requests() / seconds * 1000) / 1000.0, s.errors(),
                s.hardFailures(), fallbacks,
                s.requests() == 0 ? Optional.empty() : Optional.of(s.errorRate()),
                sample.length == 0 ? Optional.empty() : Optional.of(round(Evidence.quantile(sample, 0.50))),
                sample.length == 0 ? Optional.empty() : Optional.of(round(Evidence.quantile(sample, 0.99))));
    }

    private static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }
}
