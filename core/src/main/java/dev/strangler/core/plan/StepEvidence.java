package dev.strangler.core.plan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything observed for a route since it reached its current position, summed over the fleet.
 *
 * @param atStep          how long the route has been at its position
 * @param monolith        the monolith's side over the whole step (for the API and the minimum requests)
 * @param service         the service's side over the whole step, its hard failures included
 * @param shadowCompared  shadow comparisons made (in {@code shadow}, or a canary with {@code in-canary})
 * @param shadowMatched   of those, the ones whose answers matched
 * @param fallbacks       requests the service failed without an answer and the monolith then answered
 * @param windows         the step's windows in time order: what the gates compare, window by window
 */
public record StepEvidence(Duration atStep, SideSample monolith, SideSample service, long shadowCompared,
                           long shadowMatched, long fallbacks, List<StepWindow> windows) {
    public StepEvidence {
        Objects.requireNonNull(atStep, "atStep");
        Objects.requireNonNull(monolith, "monolith");
        Objects.requireNonNull(service, "service");
        if (shadowCompared < 0 || shadowMatched < 0 || shadowMatched > shadowCompared)
            throw new IllegalArgumentException(shadowMatched + " matched of " + shadowCompared + " compared");
        if (fallbacks < 0) throw new IllegalArgumentException("fallbacks: " + fallbacks + " (expected: >= 0)");
        windows = List.copyOf(windows);
    }

    /**
     * Evidence known only as totals: one window spanning the whole step. Its latency falls in the
     * warm-up unless the warm-up is zero, so prefer the per-window form.
     */
    public StepEvidence(Duration atStep, SideSample monolith, SideSample service, long shadowCompared, long shadowMatched) {
        this(atStep, monolith, service, shadowCompared, shadowMatched, 0,
                monolith.requests() + service.requests() == 0 ? List.of()
                        : List.of(new StepWindow(Duration.ZERO, atStep, monolith, service)));
    }

    /** Share of comparisons that matched; NaN before the first. */
    public double matchRate() {
        return shadowCompared == 0 ? Double.NaN : (double) shadowMatched / shadowCompared;
    }
}
