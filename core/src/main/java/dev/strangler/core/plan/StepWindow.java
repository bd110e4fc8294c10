package dev.strangler.core.plan;

import dev.strangler.core.gates.LogLatencies;
import dev.strangler.core.gates.WindowCounts;

import java.time.Duration;
import java.util.Objects;

/**
 * One metric window of a step, placed in time relative to the step's start: the gates compare the
 * two sides window by window (the same time span for both), and the latency gate skips the windows
 * of the warm-up. The latency samples are summarised once, when the window is made.
 *
 * @param since when the window started, counted from the step's start (negative values count as 0)
 * @param until when it ended, likewise
 */
public record StepWindow(Duration since, Duration until, SideSample monolith, SideSample service,
                         LogLatencies monolithLatency, LogLatencies serviceLatency) {
    public StepWindow {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(monolith, "monolith");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(monolithLatency, "monolithLatency");
        Objects.requireNonNull(serviceLatency, "serviceLatency");
        if (since.isNegative()) since = Duration.ZERO;
        if (until.compareTo(since) < 0) until = since;
    }

    /** A window whose latency summaries are computed from its samples. */
    public StepWindow(Duration since, Duration until, SideSample monolith, SideSample service) {
        this(since, until, monolith, service, monolith.logLatencies(), service.logLatencies());
    }

    /** The counts the error gates read. */
    public WindowCounts counts() {
        return new WindowCounts(service.requests(), service.errors(), service.hardFailures(), monolith.requests(),
                monolith.errors());
    }
}
