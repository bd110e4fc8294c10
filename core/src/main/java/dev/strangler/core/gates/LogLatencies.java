package dev.strangler.core.gates;

import java.util.Objects;

/**
 * A latency sample summarised on the log scale: how many values, their mean log and the sum of
 * squared deviations from it. Enough for the latency gate, which compares mean log-latencies (the log
 * of the typical, geometric-mean latency), and cheap to combine, so a step's windows are summarised
 * once each instead of re-read at every look.
 *
 * @param mean mean of {@code ln(max(ms, 0.01))}; 0 when {@code n} is 0
 * @param m2   sum of squared deviations of the logs from {@code mean}
 */
public record LogLatencies(long n, double mean, double m2) {
    public static final LogLatencies NONE = new LogLatencies(0, 0, 0);
    /** Latencies below this many milliseconds count as this (a log needs a positive value). */
    static final double FLOOR_MILLIS = 0.01;

    public LogLatencies {
        if (n < 0 || !(m2 >= 0) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("n=" + n + ", mean=" + mean + ", m2=" + m2 + " (expected: n >= 0, m2 >= 0)");
        }
    }

    /** Summarises latencies in milliseconds (finite, >= 0). */
    public static LogLatencies of(double[] millis) {
        Objects.requireNonNull(millis, "millis");
        long n = 0;
        double mean = 0;
        double m2 = 0;
        for (double v : millis) { // Welford: stable for any number of values
            if (!(v >= 0 && Double.isFinite(v))) throw new IllegalArgumentException("latency: " + v + " (expected: finite and >= 0)");
            double x = Math.log(Math.max(v, FLOOR_MILLIS));
            n++;
            double delta = x - mean;
            mean += delta / n;
            m2 += delta * (x - mean);
        }
        return new LogLatencies(n, mean, m2);
    }

    /** Both samples as one (Chan's parallel formula). */
    public LogLatencies plus(LogLatencies o) {
        if (o.n == 0) return this;
        if (n == 0) return o;
        long total = n + o.n;
        double delta = o.mean - mean;
        return new LogLatencies(total, mean + delta * o.n / total, m2 + o.m2 + delta * delta * n * o.n / total);
    }

    /** The sample variance of the logs; NaN below two values. */
    public double variance() {
        return n < 2 ? Double.NaN : m2 / (n - 1);
    }

    /** {@code exp(mean)}: the typical latency in milliseconds (the median of a log-normal); NaN when empty. */
    public double geometricMeanMillis() {
        return n == 0 ? Double.NaN : Math.exp(mean);
    }
}
