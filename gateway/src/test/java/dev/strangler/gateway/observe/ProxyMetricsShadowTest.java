package dev.strangler.gateway.observe;

import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;
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
        metrics.onShadowDropped("posts", "queue-full");

        assertThat(registry.get("strangler_shadow_comparisons").tag("route", "posts").tag("result", "match").counter().count()).isEqualTo(2);
        assertThat(registry.get("strangler_shadow_comparisons").tag("result", "mismatch").counter().count()).isEqualTo(1);
        assertThat(registry.get("strangler_shadow_dropped").tag("reason", "queue-full").counter().count()).isEqualTo(1);
    }
}
