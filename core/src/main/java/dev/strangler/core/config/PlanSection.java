package dev.strangler.core.config;

import dev.strangler.core.config.YamlTree.MapNode;
import dev.strangler.core.config.YamlTree.Scalar;
import dev.strangler.core.plan.Gates;
import dev.strangler.core.plan.PromotionPlan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.strangler.core.config.ConfigFields.lineOf;
import static dev.strangler.core.config.ConfigFields.ordered;

/** A route's promotion plan: {@code automate}, {@code steps} and the {@code gates} each step must pass. */
final class PlanSection {
    private final ConfigFields fields;

    PlanSection(ConfigFields fields) {
        this.fields = fields;
    }

    /** {@code automate}, {@code steps} and {@code gates}: how the controller moves the route forward. */
    PromotionPlan plan(MapNode route, String routeField) {
        PromotionPlan d = PromotionPlan.DEFAULT;
        boolean automate = fields.bool(route, "automate", routeField + ".automate", d.automate());
        List<Double> steps = d.steps();
        if (route.entries().containsKey("steps")) {
            String field = routeField + ".steps";
            List<Double> given = new ArrayList<>();
            for (Scalar s : fields.scalarList(route, "steps", field)) {
                String t = s.text().strip();
                try {
                    given.add(Double.parseDouble(t.endsWith("%") ? t.substring(0, t.length() - 1) : t));
                } catch (NumberFormatException e) {
                    fields.error(s.line(), field, "\"" + t + "\" is not a percent; write e.g. steps: [1, 5, 25, 50, 100]");
                    return d;
                }
            }
            try {
                steps = new PromotionPlan(automate, given, d.gates()).steps();
            } catch (IllegalArgumentException e) {
                fields.error(lineOf(route, "steps"), field, given + " are not canary steps: give increasing percents above 0 "
                        + "and below 100, optionally ending with 100 (= live), e.g. steps: [1, 5, 25, 50, 100]");
            }
        }
        Gates gates = gates(route, routeField + ".gates");
        return new PromotionPlan(automate, steps, gates);
    }

    private Gates gates(MapNode route, String field) {
        Optional<MapNode> gs = fields.section(route, "gates", field);
        Gates d = Gates.DEFAULT;
        if (gs.isEmpty()) return d;
        MapNode g = gs.get();
        fields.checkKeys(g, field, ordered("min-requests", "min-time", "max-error-increase", "max-latency-increase",
                "min-latency-increase", "min-match-rate", "confidence", "warm-up"));
        int minRequests = fields.positiveInt(g, "min-requests", field + ".min-requests", (int) d.minRequests());
        Duration minTime = fields.durationOrZero(g, "min-time", field, d.minTime(), Limits.MIN_TIME);
        Duration warmUp = fields.durationOrZero(g, "warm-up", field, d.warmUp(), Limits.MIN_TIME);
        Duration minLatency = fields.durationOrZero(g, "min-latency-increase", field, d.minLatencyIncrease(), Limits.DURATION);
        double maxError = fields.fraction(g, "max-error-increase", field + ".max-error-increase", d.maxErrorIncrease(),
                "an absolute increase of the error rate, e.g. 1% or 0.01", 0, 1, false);
        double maxLatency = fields.fraction(g, "max-latency-increase", field + ".max-latency-increase", d.maxLatencyIncrease(),
                "a relative increase of latency, e.g. 20% or 0.2", 0, 100, true);
        double minMatch = fields.fraction(g, "min-match-rate", field + ".min-match-rate", d.minMatchRate(),
                "a share of matching shadow comparisons, e.g. 99% or 0.99", 0, 1, true);
        double confidence = fields.fraction(g, "confidence", field + ".confidence", d.confidence(),
                "how sure a test must be, e.g. 95% or 0.95 (above 50%, below 100%)", 0.5, 1, false);
        if (confidence <= 0.5) {
            fields.error(lineOf(g, "confidence"), field + ".confidence", "must be above 50%, e.g. 95%");
            confidence = d.confidence();
        }
        return new Gates(minRequests, minTime, maxError, maxLatency, minMatch, confidence, warmUp, minLatency);
    }
}
