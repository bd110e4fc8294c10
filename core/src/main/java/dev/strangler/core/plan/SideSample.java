package dev.strangler.core.plan;

import java.util.Arrays;

/**
 * What one side of a route (monolith or service) did during a step: request and error counts, and
 * a sample of latencies (the rank test needs values, not just a mean).
 */
public record SideSample(long requests, long errors, double[] latenciesMillis) {
    public static final SideSample NONE = new SideSample(0, 0, new double[0]);

    public SideSample {
        if (requests < 0 || errors < 0 || errors > requests)
            throw new IllegalArgumentException(errors + " errors of " + requests + " requests (expected: 0 <= errors <= requests)");
        latenciesMillis = latenciesMillis.clone();
    }

    @Override
    public double[] latenciesMillis() {
        return latenciesMillis.clone();
    }

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SideSample s && s.requests == requests && s.errors == errors
                && Arrays.equals(s.latenciesMillis, latenciesMillis);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(requests) + Long.hashCode(errors)) + Arrays.hashCode(latenciesMillis);
    }

    @Override
    public String toString() {
        return "SideSample[requests=" + requests + ", errors=" + errors + ", latencies=" + latenciesMillis.length + "]";
    }
}
