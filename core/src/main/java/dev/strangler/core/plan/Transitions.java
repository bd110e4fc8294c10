package dev.strangler.core.plan;

import dev.strangler.core.stage.Stage;

import java.util.Optional;

/**
 * The rules for moving a route between positions. Pure; the admin API, the CLI and the controller
 * all go through here, so a move means the same whoever asks.
 *
 * <p>Forward moves go one stage at a time ({@code monolith → shadow → canary → live → retired};
 * any canary share to any other). Skipping a stage is refused: every stage proves something the
 * next one relies on (shadow: the answers match; canary: real users are served as well). Moving
 * back is always allowed — it is the safe direction — except out of {@code retired}, where the
 * monolith's code may already be gone. {@code force} allows any move but staying put.
 */
public final class Transitions {
    private Transitions() {}

    /** The next position of the plan; empty at {@code retired}. */
    public static Optional<Position> next(Position from, PromotionPlan plan) {
        return switch (from.stage()) {
            case MONOLITH -> Optional.of(Position.SHADOW);
            case SHADOW -> Optional.of(Position.canary(plan.steps().getFirst()));
            case CANARY -> Optional.of(plan.steps().stream().filter(s -> s > from.percent()).findFirst()
                    .map(Position::canary).orElse(Position.LIVE));
            case LIVE -> Optional.of(Position.RETIRED);
            case RETIRED -> Optional.empty();
        };
    }

    /**
     * Where a rollback goes when none is named: {@code shadow}, so the service keeps being compared
     * while it is fixed, or {@code monolith} from {@code shadow}. Empty from {@code monolith}.
     */
    public static Optional<Position> rollbackTarget(Position from) {
        return switch (from.stage()) {
            case MONOLITH -> Optional.empty();
            case SHADOW -> Optional.of(Position.MONOLITH);
            case CANARY, LIVE, RETIRED -> Optional.of(Position.SHADOW);
        };
    }

    /** Why {@code from → to} is refused; empty when it is allowed. */
    public static Optional<Refusal> check(Position from, Position to, boolean force) {
        if (from.equals(to)) {
            return Optional.of(new Refusal(from, to, "the route is already at " + to, "nothing to do"));
        }
        if (force) return Optional.empty();
        if (to.progress() < from.progress()) {
            if (from.stage() == Stage.RETIRED) {
                return Optional.of(new Refusal(from, to, "a retired route has no monolith fallback: the monolith's code "
                        + "for it may have been deleted", "check that the monolith still serves it, then repeat with force"));
            }
            return Optional.empty();
        }
        boolean oneStep = switch (from.stage()) {
            case MONOLITH -> to.stage() == Stage.SHADOW;
            case SHADOW -> to.stage() == Stage.CANARY;
            case CANARY -> to.stage() == Stage.CANARY || to.stage() == Stage.LIVE;
            case LIVE -> to.stage() == Stage.RETIRED;
            case RETIRED -> false;
        };
        if (oneStep) return Optional.empty();
        return Optional.of(new Refusal(from, to, from + " → " + to + " skips " + skipped(from, to)
                + ", so the service would serve users without " + proofSkipped(from),
                "promote one step at a time (next: " + firstStep(from) + "), or repeat with force"));
    }

    private static String skipped(Position from, Position to) {
        StringBuilder s = new StringBuilder();
        for (Stage stage : Stage.values()) {
            if (stage.ordinal() > from.stage().ordinal() && stage.ordinal() < to.stage().ordinal()) {
                if (!s.isEmpty()) s.append(" and ");
                s.append(stage.configName());
            }
        }
        return s.toString();
    }

    private static String proofSkipped(Position from) {
        return switch (from.stage()) {
            case MONOLITH -> "its answers ever being compared with the monolith's";
            case SHADOW -> "a canary showing it serves real users as well as the monolith";
            default -> "the monolith as a fallback having been tried";
        };
    }

    private static String firstStep(Position from) {
        return switch (from.stage()) {
            case MONOLITH -> "shadow";
            case SHADOW -> "canary";
            case CANARY -> "live";
            case LIVE -> "retired";
            case RETIRED -> "none";
        };
    }
}
