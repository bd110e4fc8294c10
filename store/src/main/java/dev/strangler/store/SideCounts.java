package dev.strangler.store;

import java.util.Arrays;

/**
 * Requests seen on one side (the monolith or the service) of a route during a window.
 *
 * <p>Latencies are a bounded sample, not every request: at most {@link #SAMPLE_LIMIT} values, so a
 * window row stays small however busy the route. Callers sample (for example reservoir sampling);
 * the statistical gates in core compare the two sides' samples. The array is copied in and out, and
 * equality is by content, so the record is a true value.
 */
public record SideCounts(long requests, long errors, double[] latenciesMillis) {

    /** The most latency values one side of one window keeps. */
    public static final int SAMPLE_LIMIT = 1000;

    /** Nothing seen. */
    public static final SideCounts NONE = new SideCounts(0, 0, new double[0]);

    public SideCounts {
        if (requests < 0) throw new IllegalArgumentException("requests: " + requests + " (expected: >= 0)");
        if (errors < 0) throw new IllegalArgumentException("errors: " + errors + " (expected: >= 0)");
        if (latenciesMillis.length > SAMPLE_LIMIT) {
            throw new IllegalArgumentException("latenciesMillis: " + latenciesMillis.length
                    + " values (expected: at most " + SAMPLE_LIMIT + "; sample before storing)");
        }
        latenciesMillis = latenciesMillis.clone();
    }

    @Override
    public double[] latenciesMillis() {
        return latenciesMillis.clone();
    }

    /** Both counts added; the samples concatenated, keeping the first {@link #SAMPLE_LIMIT} values. */
    public SideCounts plus(SideCounts other) {
        double[] joined = Arrays.copyOf(latenciesMillis,
                Math.min(SAMPLE_LIMIT, latenciesMillis.length + other.latenciesMillis.length));
        System.arraycopy(other.latenciesMillis, 0, joined, latenciesMillis.length,
                joined.length - latenciesMillis.length);
        return new SideCounts(requests + other.requests, errors + other.errors, joined);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SideCounts that && requests == that.requests && errors == that.errors
                && Arrays.equals(latenciesMillis, that.latenciesMillis);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(requests) + Long.hashCode(errors)) + Arrays.hashCode(latenciesMillis);
    }

    @Override
    public String toString() {
        return "SideCounts[requests=" + requests + ", errors=" + errors
                + ", latencySample=" + latenciesMillis.length + " values]";
    }
}
