package dev.strangler.control.sync;

import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.shadow.ResponseExcerpt;
import dev.strangler.core.shadow.RouteShadowSummary;
import dev.strangler.core.shadow.SamplePair;
import dev.strangler.core.shadow.ShadowKey;
import dev.strangler.core.shadow.ShadowOptions;
import dev.strangler.core.shadow.ShadowResults;
import dev.strangler.store.StoredShadowResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowSummaryJsonTest {
    private static final ShadowKey KEY = new ShadowKey("posts", "svc", "d1");

    private static DiffResult differing(String path) {
        return new DiffResult(List.of(new Difference(path, DiffKind.VALUE, Optional.of("1"), Optional.of("2"))), false);
    }

    @Test
    void aStoredSummaryReadsBackAsTheSameSummary() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        for (int i = 0; i < 5; i++)
            results.recordMonolithPair("posts", differing("$.at"));
        ResponseExcerpt response = new ResponseExcerpt(200, Map.of("Content-Type", List.of("application/json")), "{\"a\":1}", 7);
        results.recordComparison(KEY, differing("$.title"), new SamplePair("GET", "/posts/1?x=1", response, response));
        results.recordComparison(KEY, differing("$.at"));
        results.recordComparison(KEY, DiffResult.MATCH);
        results.recordDropped(KEY, DropReason.TIMEOUT);
        RouteShadowSummary summary = results.snapshot(KEY).orElseThrow();

        assertThat(ShadowSummaryJson.read(ShadowSummaryJson.stored(summary))).isEqualTo(summary);
    }

    @Test
    void aSummaryTooLargeForTheStoreLosesSamplesFirstAndKeepsItsCounts() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        ResponseExcerpt big = new ResponseExcerpt(200, Map.of(), "x".repeat(60_000), 60_000);
        for (int i = 0; i < 20; i++)
            results.recordComparison(KEY, differing("$.title"), new SamplePair("GET", "/posts/" + i, big, big));
        RouteShadowSummary summary = results.snapshot(KEY).orElseThrow();

        String stored = ShadowSummaryJson.stored(summary);
        RouteShadowSummary back = ShadowSummaryJson.read(stored);

        assertThat(stored.length()).isLessThanOrEqualTo(StoredShadowResult.MAX_SUMMARY_CHARS);
        assertThat(back.samples()).isNotEmpty().hasSizeLessThan(summary.samples().size());
        assertThat(back.comparisons()).isEqualTo(20);
        assertThat(back.paths()).isEqualTo(summary.paths());
    }
}
