package dev.strangler.gateway.observe;

import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.shadow.ShadowOptions;
import dev.strangler.core.shadow.RouteShadowSummary;
import dev.strangler.core.shadow.ShadowResults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyMetricsShadowTest {

    private static ShadowComparison compared(DiffResult result) {
        CapturedResponse any = CapturedResponse.of(200, "application/json", "{}".getBytes());
        return new ShadowComparison("posts", "GET", "/api/posts/1", any, any, result);
    }

    @Test
    void shadowComparisonsAreCountedByResultAndDropsByReasonPerRoute() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProxyMetrics metrics = new ProxyMetrics(registry);
        DiffResult mismatch = new DiffResult(List.of(new Difference("$.price", DiffKind.VALUE, Optional.of("10"), Optional.of("12"))), false);

        metrics.onShadowCompared(compared(DiffResult.MATCH));
        metrics.onShadowCompared(compared(DiffResult.MATCH));
        metrics.onShadowCompared(compared(mismatch));
        metrics.onShadowDropped("posts", DropReason.QUEUE_FULL);

        assertThat(registry.get("strangler_shadow_comparisons").tag("route", "posts").tag("result", "match").counter().count()).isEqualTo(2);
        assertThat(registry.get("strangler_shadow_comparisons").tag("result", "mismatch").counter().count()).isEqualTo(1);
        assertThat(registry.get("strangler_shadow_dropped").tag("reason", "queue-full").counter().count()).isEqualTo(1);
    }

    @Test
    void everyDropReasonIsCountedUnderItsOwnLabelInTheMetricsAndTheShadowResults() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProxyMetrics metrics = new ProxyMetrics(registry);
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        ShadowRecorder recorder = new ShadowRecorder(results, Redactor.of());
        DropReason[] reasons = DropReason.values();
        for (int i = 0; i < reasons.length; i++) {
            for (int n = 0; n <= i; n++) { // reason i dropped i + 1 times, so no two reasons can be swapped unseen
                metrics.onShadowDropped("posts", reasons[i]);
                recorder.onShadowDropped("posts", reasons[i]);
            }
        }

        RouteShadowSummary summary = results.snapshot("posts").orElseThrow();
        for (int i = 0; i < reasons.length; i++) {
            assertThat(registry.get("strangler_shadow_dropped").tag("route", "posts").tag("reason", reasons[i].label())
                    .counter().count()).as("metric for %s", reasons[i]).isEqualTo(i + 1);
            assertThat(summary.dropped().get(reasons[i])).as("shadow results for %s", reasons[i]).isEqualTo(i + 1);
        }
        assertThat(registry.find("strangler_shadow_dropped").counters()).hasSize(reasons.length);
    }
}
