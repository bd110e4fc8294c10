package dev.strangler.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one route moves forward: whether the controller moves it at all, the canary shares it goes
 * through, and the gates each step must pass.
 *
 * @param automate whether the controller promotes and rolls back this route (an operator can
 *                 still pause it at runtime)
 * @param steps    canary percents in increasing order, each above 0 and below 100; after the last
 *                 one comes {@code live} (a 100 in the config file means exactly that and is dropped)
 */
public record PromotionPlan(boolean automate, List<Double> steps, Gates gates) {
    public static final List<Double> DEFAULT_STEPS = List.of(1.0, 5.0, 25.0, 50.0);
    public static final PromotionPlan DEFAULT = new PromotionPlan(true, DEFAULT_STEPS, Gates.DEFAULT);

    public PromotionPlan {
        Objects.requireNonNull(gates, "gates");
        List<Double> kept = new ArrayList<>();
        double previous = 0;
        for (double s : steps) {
            if (s == 100 && kept.size() == steps.size() - 1) break; // "then live"
            if (!(s > previous && s < 100))
                throw new IllegalArgumentException("steps: " + steps + " (expected: increasing percents above 0 and below 100, optionally ending with 100)");
            kept.add(s);
            previous = s;
        }
        if (kept.isEmpty()) throw new IllegalArgumentException("steps: " + steps + " (expected: at least one canary percent)");
        steps = List.copyOf(kept);
    }

    public PromotionPlan withAutomate(boolean on) {
        return new PromotionPlan(on, steps, gates);
    }

    public PromotionPlan withGates(Gates newGates) {
        return new PromotionPlan(automate, steps, newGates);
    }
}
