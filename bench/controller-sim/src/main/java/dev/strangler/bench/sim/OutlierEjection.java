package dev.strangler.bench.sim;

import dev.strangler.core.config.Outlier;

/**
 * The gateway's outlier ejection of the service, as {@code gateway/proxy/Ejections} does it, one
 * instance per event loop: after {@link Outlier#consecutiveFailures()} hard failures in a row on a
 * loop, that loop sends the service nothing until the ejection ends; the n-th ejection in a row lasts
 * {@link Outlier#ejectionTime(int)} (n × {@code ejection-time}, at most {@code max-ejection-time});
 * when it ends the loop's run restarts from 0, so it sends up to {@code consecutive-failures}
 * requests again before the next ejection; any answer resets both counts. The simulated service
 * has one endpoint (one address), so an ejected loop has nothing else to send to: its requests fall
 * back to the monolith (safe methods) or are answered 503, and count as {@code service-ejected}
 * service failures in the windows.
 *
 * <p>Requests are spread over the loops at random: the gateway's listener hands each client
 * connection to one loop in turn, and many clients make that close to uniform per request.
 */
final class OutlierEjection {
    private final Outlier outlier;
    private final int[] failuresInARow;
    private final int[] ejectionsInARow;
    private final long[] ejectedUntilNanos;
    private final boolean[] ejected;

    OutlierEjection(Outlier outlier, int eventLoops) {
        if (eventLoops < 1) throw new IllegalArgumentException("eventLoops: " + eventLoops + " (expected: >= 1)");
        this.outlier = outlier;
        failuresInARow = new int[eventLoops];
        ejectionsInARow = new int[eventLoops];
        ejectedUntilNanos = new long[eventLoops];
        ejected = new boolean[eventLoops];
    }

    int eventLoops() {
        return ejected.length;
    }

    /** Whether loop {@code i} sends the service a request at {@code nanos}; lifts an ended ejection. */
    boolean sends(int i, long nanos) {
        if (!ejected[i]) return true;
        if (nanos < ejectedUntilNanos[i]) return false;
        ejected[i] = false;
        failuresInARow[i] = 0;
        return true;
    }

    /** Loop {@code i}'s request got no answer (refused) at {@code nanos}. */
    void hardFailure(int i, long nanos) {
        if (!outlier.isEnabled() || ejected[i]) return;
        if (++failuresInARow[i] < outlier.consecutiveFailures()) return;
        ejectionsInARow[i]++;
        ejected[i] = true;
        ejectedUntilNanos[i] = nanos + outlier.ejectionTime(ejectionsInARow[i]).toNanos();
    }
}
