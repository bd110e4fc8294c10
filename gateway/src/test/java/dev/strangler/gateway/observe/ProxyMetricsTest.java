package dev.strangler.gateway.observe;

import dev.strangler.core.stage.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyMetricsTest {
    private static Outcome served(String route, String backend, int status) {
        return new Outcome("id", "GET", "/p", route, Stage.LIVE, backend, status, 1_000_000, 0, 10, Optional.empty(), Optional.empty());
    }

    @Test
    void requestsAreCountedUnderTheirOwnRouteAndBackendWhenPairsAlternate() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProxyMetrics metrics = new ProxyMetrics(registry);
        String sameNameOtherInstance = new String("posts-read");

        metrics.onComplete(served("posts-read", "posts", 200));
        metrics.onComplete(served("posts-read", "posts", 200));
        metrics.onComplete(served("users", "monolith", 503));
        metrics.onComplete(served("posts-read", "posts", 200));
        metrics.onComplete(served(sameNameOtherInstance, "posts", 200));
        metrics.onComplete(served("posts-read", "monolith", 200));

        assertThat(registry.get("strangler_proxy_requests").tag("route", "posts-read").tag("backend", "posts").tag("status", "2xx")
                .counter().count()).isEqualTo(4);
        assertThat(registry.get("strangler_proxy_requests").tag("route", "users").tag("backend", "monolith").tag("status", "5xx")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("strangler_proxy_requests").tag("route", "posts-read").tag("backend", "monolith").tag("status", "2xx")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("strangler_proxy_duration").tag("route", "posts-read").tag("backend", "posts").timer().count()).isEqualTo(4);
    }

    @Test
    void recordingARequestAllocatesNothingOnceItsMetersExistWhateverPairsAlternate() {
        ProxyMetrics metrics = new ProxyMetrics(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
        Outcome[] alternating = {served("posts-read", "posts", 200), served("users", "monolith", 200),
                served("posts-read", "monolith", 503), served("users", "users-svc", 404)};
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200_000; i++) metrics.onComplete(alternating[i & 3]); // meters registered, code compiled

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) metrics.onComplete(alternating[i & 3]);
        long perRequest = (threads.getCurrentThreadAllocatedBytes() - before) / 100_000;

        assertThat(perRequest).as("bytes allocated per request").isLessThan(8);
    }
}
