package dev.strangler.store;

import dev.strangler.core.plan.SideSample;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What one gateway saw for one route in {@code [start, end)}. Each gateway of a fleet writes its own
 * windows; the controller reads every gateway's and adds them up before judging the gates.
 *
 * @param start          with {@code gateway} and {@code route}, the window's key; kept to the microsecond
 * @param service        the service's side: a request it failed without an answer counts here (as a
 *                       request, an error and a hard failure) even when the monolith then answered
 * @param shadowCompared shadowed requests whose responses were diffed
 * @param shadowMatched  of those, the ones that matched
 * @param fallbacks      requests the service failed without an answer that the monolith then answered
 */
public record MetricWindow(String gateway, String route, Instant start, Instant end,
                           SideSample monolith, SideSample service, long shadowCompared, long shadowMatched,
                           long fallbacks) {

    /**
     * The most latency values one side of one window keeps, so a row stays small however busy the
     * route; writers sample (the gateway keeps a reservoir).
     */
    public static final int SAMPLE_LIMIT = 1000;

    public MetricWindow {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(route, "route");
        start = Objects.requireNonNull(start, "start").truncatedTo(ChronoUnit.MICROS);
        end = Objects.requireNonNull(end, "end").truncatedTo(ChronoUnit.MICROS);
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("end: " + end + " (expected: after start " + start + ")");
        }
        checkSample("monolith", Objects.requireNonNull(monolith, "monolith"));
        checkSample("service", Objects.requireNonNull(service, "service"));
        if (shadowCompared < 0 || shadowMatched < 0) {
            throw new IllegalArgumentException("shadowCompared, shadowMatched: " + shadowCompared + ", "
                    + shadowMatched + " (expected: >= 0)");
        }
        if (fallbacks < 0) throw new IllegalArgumentException("fallbacks: " + fallbacks + " (expected: >= 0)");
    }

    /** A window without fallbacks. */
    public MetricWindow(String gateway, String route, Instant start, Instant end, SideSample monolith,
                        SideSample service, long shadowCompared, long shadowMatched) {
        this(gateway, route, start, end, monolith, service, shadowCompared, shadowMatched, 0);
    }

    /** This window with another report of the same key added in: counts summed, samples concatenated up to the limit. */
    public MetricWindow plus(MetricWindow other) {
        Instant laterEnd = end.isAfter(other.end) ? end : other.end;
        return new MetricWindow(gateway, route, start, laterEnd, join(monolith, other.monolith),
                join(service, other.service), shadowCompared + other.shadowCompared,
                shadowMatched + other.shadowMatched, fallbacks + other.fallbacks);
    }

    /** Both counts added; the samples concatenated, keeping the first {@link #SAMPLE_LIMIT} values. */
    static SideSample join(SideSample a, SideSample b) {
        SideSample.Builder joined = new SideSample.Builder(Math.min(SAMPLE_LIMIT, a.sampleSize() + b.sampleSize()));
        for (int i = 0; i < a.sampleSize() && joined.size() < SAMPLE_LIMIT; i++) joined.add(a.latencyMillis(i));
        for (int i = 0; i < b.sampleSize() && joined.size() < SAMPLE_LIMIT; i++) joined.add(b.latencyMillis(i));
        return joined.build(a.requests() + b.requests(), a.errors() + b.errors(), a.hardFailures() + b.hardFailures());
    }

    private static void checkSample(String side, SideSample sample) {
        int n = sample.sampleSize();
        if (n > SAMPLE_LIMIT) {
            throw new IllegalArgumentException(side + ": " + n + " latency values (expected: at most " + SAMPLE_LIMIT
                    + "; sample before storing)");
        }
    }
}
