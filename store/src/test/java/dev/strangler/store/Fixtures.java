package dev.strangler.store;

import dev.strangler.core.plan.SideSample;

import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.LatencySketch;
import dev.strangler.core.stage.Stage;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Values the store tests write: a fixed clock start so that what is read back can be compared exactly. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

    private Fixtures() {
    }

    static RouteState state(String route, Stage stage, double percent, long version) {
        return new RouteState(route, stage, percent, false, Stage.SHADOW, 0, T0.plusSeconds(version), version);
    }

    static AuditEntry entry(String route, String action, Stage from, double fromPercent, Stage to, double toPercent) {
        return new AuditEntry(0, T0, route, "controller", action, from, fromPercent, to, toPercent,
                "gates passed", List.of("requests: 1200 >= 1000", "error rate: 0.1% vs 0.2%"));
    }

    static AuditEntry creation(String route, Stage stage) {
        return new AuditEntry(0, T0, route, "config", "create", null, 0, stage, 0, "first start", List.of());
    }

    static MetricWindow window(String gateway, String route, Instant start, long requests, double... latencies) {
        SideSample side = new SideSample(requests, 1, latencies);
        return new MetricWindow(gateway, route, start, start.plus(Duration.ofSeconds(10)), side, side, requests,
                requests - 1);
    }

    static double[] latencies(int count, double first) {
        double[] values = new double[count];
        Arrays.setAll(values, i -> first + i);
        return values;
    }

    /** An endpoint called {@code count} times, taking 1, 2, ... {@code count} ms, seen from T0 for {@code count} seconds. */
    static EndpointSummary endpoint(String method, String template, int count, Map<Integer, Long> statusCodes,
                                    String route, Stage stage) {
        LatencySketch.Recorder latency = new LatencySketch.Recorder();
        for (int i = 1; i <= count; i++) latency.recordNanos(i * 1_000_000L);
        return new EndpointSummary(new EndpointKey(method, template), count, statusCodes, latency.snapshot(),
                100L * count, 2000L * count, Optional.of(T0), Optional.of(T0.plusSeconds(count)),
                Optional.ofNullable(route), Optional.ofNullable(stage), false);
    }
}
