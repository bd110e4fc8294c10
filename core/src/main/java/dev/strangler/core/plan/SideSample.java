package dev.strangler.core.plan;

import dev.strangler.core.gates.LogLatencies;

import java.util.Arrays;

/**
 * What one side of a route (monolith or service) did during a window or a step: request and error
 * counts, and a sample of latencies (the latency gate needs values, not just a mean).
 *
 * <p>Immutable, and so its sample: the public constructors copy the array they are given and
 * {@link #latenciesMillis()} returns a copy. A class rather than a record only for this: a record's
 * every construction passes its public canonical constructor, which must copy, while the controller
 * reads every stored window of every judged route at each tick and those copies were 28 % of a canary
 * tick's remaining bytes. A sample made by its reader and never shown to anyone — values added to a
 * {@link Builder} — is taken over as it is, without a copy; the builder lets go of it when it builds.
 *
 * <p>Fields: {@code errors} are requests that failed (answered 5xx, or got no answer at all);
 * {@code hardFailures} of those, the ones that got no answer (refused, connect timeout, reset,
 * response timeout), whoever then answered the user: the monolith by fallback, or nobody;
 * {@code latenciesMillis} a sample of the latencies of the requests that were answered by this side.
 */
public final class SideSample {
    public static final SideSample NONE = new SideSample(0, 0, 0, new double[0]);

    private final long requests;
    private final long errors;
    private final long hardFailures;
    private final double[] latenciesMillis;

    /** A side whose sample is a copy of {@code latenciesMillis}. */
    public SideSample(long requests, long errors, long hardFailures, double[] latenciesMillis) {
        this(latenciesMillis.clone(), requests, errors, hardFailures);
    }

    /** A side without hard failures. */
    public SideSample(long requests, long errors, double[] latenciesMillis) {
        this(requests, errors, 0, latenciesMillis);
    }

    /** Takes {@code owned} over as it is: only for arrays nobody else holds ({@link Builder}). */
    private SideSample(double[] owned, long requests, long errors, long hardFailures) {
        if (requests < 0 || errors < 0 || errors > requests || hardFailures < 0 || hardFailures > errors)
            throw new IllegalArgumentException(hardFailures + " hard failures of " + errors + " errors of " + requests
                    + " requests (expected: 0 <= hard failures <= errors <= requests)");
        this.requests = requests;
        this.errors = errors;
        this.hardFailures = hardFailures;
        this.latenciesMillis = owned;
    }

    public long requests() {
        return requests;
    }

    public long errors() {
        return errors;
    }

    public long hardFailures() {
        return hardFailures;
    }

    /** A copy of the sample; {@link #latencyMillis} and {@link #sampleSize} read it without one. */
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

    /**
     * A sample written value by value by whoever reads it (a stored window, the windows of a step), then
     * built into a side without a copy when it is full. Its array is never shown, and is let go when the
     * side is built: once built, the builder takes no more values.
     */
    public static final class Builder {
        private double[] values;
        private int size;

        /** @param capacity how many values will be added; fewer costs one copy at {@link #build} */
        public Builder(int capacity) {
            if (capacity < 0) throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 0)");
            values = new double[capacity];
        }

        public Builder add(double millis) {
            double[] v = spentOr();
            if (size == v.length) throw new IllegalStateException("the sample is full: " + v.length + " values (its capacity)");
            v[size++] = millis;
            return this;
        }

        /** How many values were added. */
        public int size() {
            return size;
        }

        /** The side with the values added, in order; the builder is spent. */
        public SideSample build(long requests, long errors, long hardFailures) {
            double[] v = spentOr();
            SideSample side = new SideSample(size == v.length ? v : Arrays.copyOf(v, size), requests, errors, hardFailures);
            values = null;
            return side;
        }

        private double[] spentOr() {
            if (values == null) throw new IllegalStateException("the sample was already built");
            return values;
        }
    }
}
