package dev.strangler.bench.openloop;

/**
 * The constant-rate plan: request {@code i} is intended to leave at {@code start + i / rate}.
 * Latency is measured from that instant, not from when the request actually left, so a target
 * that stalls is charged for every request that should have been sent during the stall
 * (no coordinated omission, as in wrk2 and HdrHistogram's own guidance).
 */
record Schedule(long startNanos, double ratePerSecond, long warmupCount, long total) {

    static Schedule of(long startNanos, double ratePerSecond, double warmupSeconds, double measuredSeconds) {
        if (!(ratePerSecond > 0)) throw new IllegalArgumentException("rate must be > 0, was " + ratePerSecond);
        long warmup = Math.round(ratePerSecond * warmupSeconds);
        return new Schedule(startNanos, ratePerSecond, warmup, warmup + Math.round(ratePerSecond * measuredSeconds));
    }

    long intendedNanos(long i) {
        return startNanos + (long) (i * 1e9 / ratePerSecond);
    }

    /** How many requests are due at {@code nowNanos}: every i below the result has an intended time <= now. */
    long dueAt(long nowNanos) {
        if (nowNanos < startNanos) return 0;
        return Math.min(total, (long) Math.floor((nowNanos - startNanos) * ratePerSecond / 1e9) + 1);
    }

    boolean isMeasured(long i) {
        return i >= warmupCount;
    }

    long measuredCount() {
        return total - warmupCount;
    }
}
