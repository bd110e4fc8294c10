package dev.strangler.core.plan;

import dev.strangler.core.gates.LogLatencies;

import java.util.Arrays;

/**
 * What one side of a route (monolith or service) did during a window or a step: request and error
 * counts, and a sample of latencies (the latency gate needs values, not just a mean).
 *
 * @param errors       requests that failed: answered 5xx, or got no answer at all
 * @param hardFailures of those, the ones that got no answer (refused, connect timeout, reset, response
 *                     timeout), whoever then answered the user: the monolith by fallback, or nobody
 * @param latenciesMillis a sample of the latencies of the requests that were answered by this side
 */
public record SideSample(long requests, long errors, long hardFailures, double[] latenciesMillis) {
    public static final SideSample NONE = new SideSample(0, 0, 0, new double[0]);

    public SideSample {
        if (requests < 0 || errors < 0 || errors > requests || hardFailures < 0 || hardFailures > errors)
            throw new IllegalArgumentException(hardFailures + " hard failures of " + errors + " errors of " + requests
                    + " requests (expected: 0 <= hard failures <= errors <= requests)");
        latenciesMillis = latenciesMillis.clone();
    }

    /** A side without hard failures. */
    public SideSample(long requests, long errors, double[] latenciesMillis) {
        this(requests, errors, 0, latenciesMillis);
    }

    @Override
    public double[] latenciesMillis() {
        return latenciesMillis.clone();
    }

    /** The sample's value at {@code index}, without copying the sample (the controller reads every window's at each tick). */
    public double latencyMillis(int index) {
        return latenciesMillis[index];
    }

    /** The sample summarised on the log scale ({@link LogLatencies#of}), without copying it. */
    public LogLatencies logLatencies() {
        return LogLatencies.of(latenciesMillis);
    }

    /** How many latency values the sample holds, without copying it. */
    public int sampleSize() {
        return latenciesMillis.length;
    }

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SideSample s && s.requests == requests && s.errors == errors
                && s.hardFailures == hardFailures && Arrays.equals(s.latenciesMillis, latenciesMillis);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Long.hashCode(requests) + Long.hashCode(errors)) + Long.hashCode(hardFailures))
                + Arrays.hashCode(latenciesMillis);
    }

    @Override
    public String toString() {
        return "SideSample[requests=" + requests + ", errors=" + errors + ", hardFailures=" + hardFailures
                + ", latencies=" + latenciesMillis.length + "]";
    }
}
