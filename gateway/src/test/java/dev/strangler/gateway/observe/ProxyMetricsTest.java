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
}
