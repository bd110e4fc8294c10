package dev.strangler.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What one gateway saw for one route in {@code [start, end)}. Each gateway of a fleet writes its own
 * windows; the controller reads every gateway's and adds them up before judging the gates.
 *
 * @param start          with {@code gateway} and {@code route}, the window's key; kept to the microsecond
 * @param shadowCompared shadowed requests whose responses were diffed
 * @param shadowMatched  of those, the ones that matched
 */
public record MetricWindow(String gateway, String route, Instant start, Instant end,
                           SideCounts monolith, SideCounts service, long shadowCompared, long shadowMatched) {

    public MetricWindow {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(route, "route");
        start = Objects.requireNonNull(start, "start").truncatedTo(ChronoUnit.MICROS);
        end = Objects.requireNonNull(end, "end").truncatedTo(ChronoUnit.MICROS);
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("end: " + end + " (expected: after start " + start + ")");
        }
        Objects.requireNonNull(monolith, "monolith");
        Objects.requireNonNull(service, "service");
        if (shadowCompared < 0 || shadowMatched < 0) {
            throw new IllegalArgumentException("shadowCompared, shadowMatched: " + shadowCompared + ", "
                    + shadowMatched + " (expected: >= 0)");
        }
    }

    /** This window with another report of the same key added in: counts summed, samples concatenated up to the limit. */
    public MetricWindow plus(MetricWindow other) {
        Instant laterEnd = end.isAfter(other.end) ? end : other.end;
        return new MetricWindow(gateway, route, start, laterEnd, monolith.plus(other.monolith),
                service.plus(other.service), shadowCompared + other.shadowCompared,
                shadowMatched + other.shadowMatched);
    }
}
