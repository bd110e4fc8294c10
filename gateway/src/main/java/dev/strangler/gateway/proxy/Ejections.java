package dev.strangler.gateway.proxy;

import dev.strangler.core.config.Outlier;
import dev.strangler.gateway.observe.Failure;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Passive outlier ejection for the endpoints of one backend on one event loop (Envoy's outlier
 * detection with {@code consecutive_gateway_failure}): after {@link Outlier#consecutiveFailures()}
 * hard failures in a row at an endpoint, it gets no user traffic until its ejection ends.
 *
 * <p><b>Why.</b> The controller acts once per interval; at 1,000 req/s a dead service would otherwise
 * be sent some hundred requests before it is rolled back, each of them a wasted connect (a whole
 * {@code connect-timeout} for a black-holed address) before the fallback, or a failure for a request
 * that may not fall back. Ejection cuts that to {@code consecutive-failures} per endpoint and event
 * loop. The controller still sees the outage: a request not sent because every endpoint is ejected
 * is reported as a {@link Failure#SERVICE_EJECTED} service failure (fallbacks included).
 *
 * <p><b>What counts.</b> A hard failure is one where the endpoint gave no answer: refused, connect
 * timeout or failure, reset before the response head ({@link #isHard}). Any response head, 5xx
 * included, ends the run: a service answering errors is for the controller's error gates to judge,
 * with their statistics, not for a counter. A response timeout does not count either (a slow
 * endpoint is not a dead one, and the request may have done its work).
 *
 * <p><b>Ejection time.</b> The n-th ejection in a row lasts n × {@code ejection-time}, at most
 * {@code max-ejection-time} (Envoy's base and max ejection time). When it ends the endpoint gets
 * traffic again with its run restarted from 0; the first answer it gives resets n. There is no
 * {@code max-ejection-percent}: with every endpoint out, a request that may fall back goes to the
 * monolith and one that may not gets a 503 at once — better than waiting for a connect timeout.
 *
 * <p><b>Concurrency.</b> Each event loop has its own instance (in {@link BackendClients}), so the
 * counters are plain fields with no locks, and each loop learns of a dead endpoint from its own
 * {@code consecutive-failures} requests.
 */
final class Ejections {
    private final Outlier outlier;
    private final LongSupplier nanoTime;
    private final int[] failuresInARow;
    private final int[] ejectionsInARow;
    /** {@link System#nanoTime()}-scale instant each endpoint's ejection ends; meaningful only while ejected. */
    private final long[] ejectedUntil;
    private final boolean[] ejected;

    Ejections(Outlier outlier, int endpoints, LongSupplier nanoTime) {
        this.outlier = Objects.requireNonNull(outlier, "outlier");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        if (endpoints < 1) throw new IllegalArgumentException("endpoints: " + endpoints + " (expected: >= 1)");
        failuresInARow = new int[endpoints];
        ejectionsInARow = new int[endpoints];
        ejectedUntil = new long[endpoints];
        ejected = new boolean[endpoints];
    }

    /** Whether {@code failure} is one that counts towards ejecting an endpoint. */
    static boolean isHard(Failure failure) {
        return switch (failure) {
            case CONNECT_REFUSED, CONNECT_TIMEOUT, CONNECT_FAILED, RESET_BY_BACKEND -> true;
            default -> false;
        };
    }

    /** Whether endpoint {@code i} may be sent traffic now; an ejection that has ended is lifted here. */
    boolean isAvailable(int i) {
        if (!ejected[i]) return true;
        if (nanoTime.getAsLong() - ejectedUntil[i] < 0) return false;
        ejected[i] = false;
        failuresInARow[i] = 0;
        return true;
    }

    /** Endpoint {@code i} answered (any status): its runs start again. */
    void answered(int i) {
        failuresInARow[i] = 0;
        ejectionsInARow[i] = 0;
    }

    /** Endpoint {@code i} failed; returns whether this failure ejected it. */
    boolean failed(int i, Failure failure) {
        if (!outlier.isEnabled() || !isHard(failure) || ejected[i]) return false;
        if (++failuresInARow[i] < outlier.consecutiveFailures()) return false;
        ejectionsInARow[i]++;
        ejected[i] = true;
        ejectedUntil[i] = nanoTime.getAsLong() + outlier.ejectionTime(ejectionsInARow[i]).toNanos();
        return true;
    }
}
