package dev.strangler.store;

import dev.strangler.core.plan.SideSample;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.strangler.store.Fixtures.latencies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricWindowTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private static MetricWindow window(SideSample monolith) {
        return new MetricWindow("gw", "posts", T0, T0.plusSeconds(10), monolith, SideSample.NONE, 0, 0);
    }

    @Test
    void aSampleLargerThanTheLimitIsRefusedSoWritersSample() {
        assertThatThrownBy(() -> window(new SideSample(2000, 0, latencies(MetricWindow.SAMPLE_LIMIT + 1, 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("monolith: 1001 latency values (expected: at most 1000");
    }

    @Test
    void addingTwoReportsOfAWindowKeepsTheFirstValuesUpToTheLimit() {
        MetricWindow sum = window(new SideSample(600, 1, latencies(600, 0))).plus(window(new SideSample(600, 2, latencies(600, 600))));

        assertThat(sum.monolith().requests()).isEqualTo(1200);
        assertThat(sum.monolith().errors()).isEqualTo(3);
        assertThat(sum.monolith().latenciesMillis()).hasSize(MetricWindow.SAMPLE_LIMIT).endsWith(998, 999);
    }
}
