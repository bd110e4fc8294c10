package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.CapturedSample;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.shadow.ShadowKey;
import dev.strangler.core.shadow.ShadowResults;

import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Feeds the shadow stage's comparisons and drops into {@link ShadowResults}, the per-route summary
 * the admin API shows. Samples are redacted before anything leaves memory: when a summary is taken, for
 * the few samples still kept then ({@link CapturedSample}), not on the event loop for every comparison.
 *
 * <p>Each comparison is recorded under the route's current {@link ShadowKey} (its service and the
 * service's digest, as the config served now says), so a reload that changes the service starts
 * fresh results. A comparison whose copy left just before such a reload is counted under the new key:
 * at most the copies in flight at the switch.
 */
public final class ShadowRecorder implements ExchangeObserver {
    private final ShadowResults results;
    private final Redactor redactor;
    private final Tally tally;
    private final Function<String, ShadowKey> keys;

    /** Told of every counted comparison: what the control plane's metric windows sum. */
    @FunctionalInterface
    public interface Tally {
        void counted(String route, boolean matched);
    }

    public ShadowRecorder(ShadowResults results, Redactor redactor) {
        this(results, redactor, (route, matched) -> {});
    }

    public ShadowRecorder(ShadowResults results, Redactor redactor, Tally tally) {
        this(results, redactor, tally, ShadowKey::ofRoute);
    }

    /** @param keys the key a route's comparisons are recorded under now (called on the event loop: must not block) */
    public ShadowRecorder(ShadowResults results, Redactor redactor, Tally tally, Function<String, ShadowKey> keys) {
        this.results = Objects.requireNonNull(results, "results");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.tally = Objects.requireNonNull(tally, "tally");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public void onComplete(Outcome outcome) {
        // Only shadow events matter here.
    }

    @Override
    public Set<Extra> reads() {
        return Set.of();
    }

    @Override
    public void onShadowCompared(ShadowComparison c) {
        boolean matched = results.recordComparison(keys.apply(c.route()), c.result(),
                CapturedSample.of(redactor, c.method(), c.uri(), c.monolith(), c.service()));
        tally.counted(c.route(), matched);
    }

    @Override
    public void onShadowMonolithPair(String route, dev.strangler.core.diff.DiffResult monolithVersusMonolith) {
        results.recordMonolithPair(route, monolithVersusMonolith);
    }

    @Override
    public void onShadowDropped(String route, DropReason reason) {
        results.recordDropped(keys.apply(route), reason);
    }
}
