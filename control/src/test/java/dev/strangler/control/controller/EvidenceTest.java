package dev.strangler.control.controller;

import dev.strangler.core.plan.SideSample;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.core.plan.StepWindow;
import dev.strangler.store.MetricWindow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EvidenceTest {
    private static final Instant STEP = Instant.parse("2026-11-30T12:00:00Z");

    private static MetricWindow window(String gateway, long startSecond, SideSample monolith, SideSample service,
                                       long fallbacks) {
        Instant start = STEP.plusSeconds(startSecond);
        return new MetricWindow(gateway, "orders", start, start.plusSeconds(10), monolith, service, 4, 3, fallbacks);
    }

    private static double[] values(int n, double first) {
        double[] out = new double[n];
        Arrays.setAll(out, i -> first + i);
        return out;
    }

    @Test
    void theFleetsWindowsArePlacedInTimeFromTheStepsStartWithEveryCountSummed() {
        List<MetricWindow> stored = List.of(
                window("gw-2", 10, new SideSample(100, 1, values(3, 1)), new SideSample(9, 8, 8, new double[0]), 7),
                window("gw-1", 10, new SideSample(50, 0, values(2, 1)), new SideSample(5, 1, 0, values(4, 1)), 0),
                window("gw-1", 0, new SideSample(80, 2, values(1, 1)), new SideSample(8, 0, 0, values(8, 1)), 1));

        StepEvidence e = Evidence.of(stored, STEP, STEP.plusSeconds(25));

        assertThat(e.atStep()).isEqualTo(Duration.ofSeconds(25));
        assertThat(e.windows()).extracting(StepWindow::since)
                .containsExactly(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertThat(e.windows().get(1).service().requests()).as("same start: ordered by gateway").isEqualTo(5);
        assertThat(e.service()).isEqualTo(new SideSample(22, 9, 8, e.service().latenciesMillis()));
        assertThat(e.service().latenciesMillis()).hasSize(12);
        assertThat(e.monolith().requests()).isEqualTo(230);
        assertThat(e.fallbacks()).isEqualTo(8);
        assertThat(e.shadowCompared()).isEqualTo(12);
        assertThat(e.shadowMatched()).isEqualTo(9);
        assertThat(e.windows().getFirst().serviceLatency().n()).isEqualTo(8);
    }

    @Test
    void theTotalsKeepAnEvenlyThinnedSampleSoEveryWindowKeepsItsWeight() {
        List<MetricWindow> stored = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            stored.add(window("gw", 10L * i, new SideSample(1000, 0, values(1000, 1000 * i)), SideSample.NONE, 0));
        }
        double[] sample = Evidence.of(stored, STEP, STEP.plusSeconds(200)).monolith().latenciesMillis();
        assertThat(sample).hasSize(Evidence.MAX_LATENCY_SAMPLE);
        assertThat(sample[0]).isEqualTo(0);
        assertThat(sample[1]).isEqualTo(4);
        assertThat(Arrays.stream(sample).filter(v -> v >= 19_000).count()).isEqualTo(250);
    }
}
