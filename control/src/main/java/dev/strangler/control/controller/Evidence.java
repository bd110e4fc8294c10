package dev.strangler.control.controller;

import dev.strangler.core.plan.SideSample;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.core.plan.StepWindow;
import dev.strangler.store.MetricWindow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The fleet's metric windows for one step, summed into what the controller judges and the API shows.
 *
 * <p>Each stored window (one gateway, one interval) becomes a {@link StepWindow} placed in time from
 * the step's start: the gates compare the two sides window by window and skip the warm-up's windows
 * for latency. Two stages, so a caller that judges at every interval (the simulation) can summarise
 * each window once ({@link #window}) and only {@link #sum} at each look.
 */
public final class Evidence {
    /** Latency values kept per side in the step's totals (for the API's quantiles): bounded in cost. */
    static final int MAX_LATENCY_SAMPLE = 5000;

    private Evidence() {}

    /** Sums the fleet's windows of a step that began at {@code stepStart}, judged at {@code now}. */
    public static StepEvidence of(List<MetricWindow> windows, Instant stepStart, Instant now) {
        List<StepWindow> steps = new ArrayList<>(windows.size());
        long compared = 0, matched = 0, fallbacks = 0;
        for (MetricWindow w : sorted(windows)) {
            steps.add(window(w, stepStart));
            compared += w.shadowCompared();
            matched += w.shadowMatched();
            fallbacks += w.fallbacks();
        }
        return sum(steps, Duration.between(stepStart, now), compared, Math.min(compared, matched), fallbacks);
    }

    /** One stored window placed in its step; its latencies are summarised here, once. */
    public static StepWindow window(MetricWindow w, Instant stepStart) {
        return new StepWindow(Duration.between(stepStart, w.start()), Duration.between(stepStart, w.end()), w.monolith(),
                w.service());
    }

    /**
     * The step's evidence from its windows in time order: counts summed, latencies thinned evenly to
     * at most {@link #MAX_LATENCY_SAMPLE} per side for the totals.
     */
    public static StepEvidence sum(List<StepWindow> windows, Duration atStep, long shadowCompared, long shadowMatched,
                                   long fallbacks) {
        long mReq = 0, mErr = 0, mHard = 0, sReq = 0, sErr = 0, sHard = 0;
        int mSamples = 0, sSamples = 0;
        for (StepWindow w : windows) {
            mReq += w.monolith().requests();
            mErr += w.monolith().errors();
            mHard += w.monolith().hardFailures();
            sReq += w.service().requests();
            sErr += w.service().errors();
            sHard += w.service().hardFailures();
            mSamples += w.monolith().sampleSize();
            sSamples += w.service().sampleSize();
        }
        return new StepEvidence(atStep.isNegative() ? Duration.ZERO : atStep,
                latencies(windows, true, mSamples).build(mReq, mErr, mHard),
                latencies(windows, false, sSamples).build(sReq, sErr, sHard), shadowCompared, shadowMatched,
                fallbacks, windows);
    }

    private static List<MetricWindow> sorted(List<MetricWindow> windows) {
        List<MetricWindow> copy = new ArrayList<>(windows);
        copy.sort(Comparator.comparing(MetricWindow::start).thenComparing(MetricWindow::gateway));
        return copy;
    }

    /**
     * Every window's sample, thinned evenly to at most {@link #MAX_LATENCY_SAMPLE}. Each window's
     * sample already stands for its own requests; thinning by a fixed stride keeps windows' weights.
     */
    private static SideSample.Builder latencies(List<StepWindow> windows, boolean monolith, int total) {
        int keep = Math.min(total, MAX_LATENCY_SAMPLE);
        SideSample.Builder out = new SideSample.Builder(keep);
        double stride = total == 0 ? 1 : (double) total / Math.max(1, keep);
        long seen = 0; // values of the windows before this one
        double nextPick = 0;
        for (StepWindow w : windows) {
            SideSample side = monolith ? w.monolith() : w.service();
            int size = side.sampleSize();
            if (nextPick >= seen + size) { // nothing picked from this window
                seen += size;
                continue;
            }
            while (out.size() < keep && nextPick < seen + size) {
                out.add(side.latencyMillis((int) ((long) nextPick - seen)));
                nextPick += stride;
            }
            seen += size;
        }
        return out; // a short one (rounding) is trimmed when built
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
