package dev.strangler.core.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything observed for a route since it reached its current position, summed over the fleet.
 *
 * @param atStep          how long the route has been at its position
 * @param shadowCompared  shadow comparisons made (in {@code shadow}, or a canary with {@code in-canary})
 * @param shadowMatched   of those, the ones whose answers matched
 */
public record StepEvidence(Duration atStep, SideSample monolith, SideSample service, long shadowCompared,
                           long shadowMatched) {
    public StepEvidence {
        Objects.requireNonNull(atStep, "atStep");
        Objects.requireNonNull(monolith, "monolith");
        Objects.requireNonNull(service, "service");
        if (shadowCompared < 0 || shadowMatched < 0 || shadowMatched > shadowCompared)
            throw new IllegalArgumentException(shadowMatched + " matched of " + shadowCompared + " compared");
    }

    /** Share of comparisons that matched; NaN before the first. */
    public double matchRate() {
        return shadowCompared == 0 ? Double.NaN : (double) shadowMatched / shadowCompared;
    }
}
