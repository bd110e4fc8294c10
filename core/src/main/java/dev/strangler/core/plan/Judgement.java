package dev.strangler.core.plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The controller's conclusion about one route at one moment, with the numbers behind it (what the
 * audit log keeps when it leads to a move).
 *
 * @param to       where the route should go; present for PROMOTE and ROLLBACK
 * @param summary  one sentence: what was decided and why
 * @param evidence one line per gate: what was measured, the test, the p-value, the verdict
 * @param failedGate the {@code gates} key whose test failed (for a ROLLBACK: {@code max-error-increase},
 *                   {@code max-latency-increase}); empty otherwise
 */
public record Judgement(Action action, Position from, Optional<Position> to, String summary, List<String> evidence,
                        Optional<String> failedGate) {
    /** What the controller does with a route. */
    public enum Action {
        /** Keep collecting: a gate is not met yet or there is too little data to decide. */
        HOLD,
        /** Every gate passed: one step forward. */
        PROMOTE,
        /** A gate failed with statistical confidence: move back now. */
        ROLLBACK
    }

    public Judgement {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(summary, "summary");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(failedGate, "failedGate");
        if ((action == Action.HOLD) != to.isEmpty())
            throw new IllegalArgumentException(action + " with target " + to + " (expected: a target exactly for PROMOTE and ROLLBACK)");
    }

    /** A judgement that names no failed gate. */
    public Judgement(Action action, Position from, Optional<Position> to, String summary, List<String> evidence) {
        this(action, from, to, summary, evidence, Optional.empty());
    }

    static Judgement rollback(Position from, Optional<Position> to, String gate, String summary, List<String> evidence) {
        return new Judgement(Action.ROLLBACK, from, to, summary, evidence, Optional.of(gate));
    }

    static Judgement hold(Position from, String summary, List<String> evidence) {
        return new Judgement(Action.HOLD, from, Optional.empty(), summary, evidence);
    }
}
