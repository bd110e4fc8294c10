package dev.strangler.control.controller;

import dev.strangler.core.plan.SideSample;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.store.MetricWindow;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The fleet's metric windows for one step, summed into what the controller judges and the API shows. */
public final class Evidence {
    /** Latency values handed to the rank test per side: plenty for its power, bounded in cost. */
    static final int MAX_LATENCY_SAMPLE = 5000;

    private Evidence() {}

    /** Sums the fleet's windows into the evidence for one step. */
    public static StepEvidence of(List<MetricWindow> windows, Duration atStep) {
        long mReq = 0, mErr = 0, sReq = 0, sErr = 0, compared = 0, matched = 0;
        int mSamples = 0, sSamples = 0;
        for (MetricWindow w : windows) {
            mReq += w.monolith().requests();
            mErr += w.monolith().errors();
            sReq += w.service().requests();
            sErr += w.service().errors();
            compared += w.shadowCompared();
            matched += w.shadowMatched();
            mSamples += w.monolith().latenciesMillis().length;
            sSamples += w.service().latenciesMillis().length;
        }
        return new StepEvidence(atStep.isNegative() ? Duration.ZERO : atStep,
                new SideSample(mReq, mErr, latencies(windows, true, mSamples)),
                new SideSample(sReq, sErr, latencies(windows, false, sSamples)), compared, matched);
    }

    /**
     * Every window's sample, thinned evenly to at most {@link #MAX_LATENCY_SAMPLE}. Each window's
     * sample already stands for its own requests; thinning by a fixed stride keeps windows' weights.
     */
    private static double[] latencies(List<MetricWindow> windows, boolean monolith, int total) {
        int keep = Math.min(total, MAX_LATENCY_SAMPLE);
        double[] out = new double[keep];
        double stride = total == 0 ? 1 : (double) total / Math.max(1, keep);
        int i = 0;
        long seen = 0;
        double nextPick = 0;
        for (MetricWindow w : windows) {
            SideSample side = monolith ? w.monolith() : w.service();
            for (double v : side.latenciesMillis()) {
                if (seen++ >= nextPick && i < keep) {
                    out[i++] = v;
                    nextPick += stride;
                }
            }
        }
        return i == keep ? out : Arrays.copyOf(out, i);
    }


    /** The value below which {@code q} of the sample lies (nearest rank); NaN for an empty sample. */
    public static double quantile(double[] sample, double q) {
        if (sample.length == 0) return Double.NaN;
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
