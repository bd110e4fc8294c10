package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.shadow.SamplePair;
import dev.strangler.core.shadow.ShadowResults;

import java.util.Objects;

/**
 * Feeds the shadow stage's comparisons and drops into {@link ShadowResults}, the per-route summary
 * the admin API shows. Samples are redacted here, before anything is kept.
 */
public final class ShadowRecorder implements ExchangeObserver {
    private final ShadowResults results;
    private final Redactor redactor;
    private final Tally tally;

    /** Told of every counted comparison: what the control plane's metric windows sum. */
    @FunctionalInterface
    public interface Tally {
        void counted(String route, boolean matched);
    }

    public ShadowRecorder(ShadowResults results, Redactor redactor) {
        this(results, redactor, (route, matched) -> {});
    }

    public ShadowRecorder(ShadowResults results, Redactor redactor, Tally tally) {
        this.results = Objects.requireNonNull(results, "results");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.tally = Objects.requireNonNull(tally, "tally");
    }

    @Override
    public void onComplete(Outcome outcome) {
        // Only shadow events matter here.
    }

    @Override
    public void onShadowCompared(ShadowComparison c) {
        boolean matched = results.recordComparison(c.route(), c.result(),
                SamplePair.capture(redactor, c.method(), c.uri(), c.monolith(), c.service()));
        tally.counted(c.route(), matched);
    }

    @Override
    public void onShadowMonolithPair(String route, dev.strangler.core.diff.DiffResult monolithVersusMonolith) {
        results.recordMonolithPair(route, monolithVersusMonolith);
    }

    @Override
    public void onShadowDropped(String route, String reason) {
        // Every label the gateway uses has a reason; an unknown one would be a bug, counted as a failure.
        results.recordDropped(route, DropReason.fromLabel(reason).orElse(DropReason.SERVICE_FAILED));
    }
}
