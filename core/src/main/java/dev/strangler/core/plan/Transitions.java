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
 *
 * <p>Every refusal's hint is a command that works from where the route is (checked by
 * {@code TransitionsTest}): a person who reads it can copy it.
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

    /** Why {@code from → to} is refused; empty when it is allowed. The hints name the route as {@code ROUTE}. */
    public static Optional<Refusal> check(Position from, Position to, boolean force) {
        return check("ROUTE", from, to, force);
    }

    /** Why {@code from → to} is refused for {@code route}; empty when it is allowed. */
    public static Optional<Refusal> check(String route, Position from, Position to, boolean force) {
        if (from.equals(to)) {
            return Optional.of(new Refusal(from, to, "the route is already at " + to,
                    "nothing to do; `strangler status` shows every route's position"));
        }
        if (force) return Optional.empty();
        if (to.progress() < from.progress()) {
            if (from.stage() == Stage.RETIRED) {
                return Optional.of(new Refusal(from, to, "a retired route has no monolith fallback: the monolith's code "
                        + "for it may have been deleted", "check that the monolith still serves it, then `strangler rollback "
                        + route + " --to " + arg(to) + " --reason TEXT --force`"));
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
                "`strangler promote " + route + "` moves one step at a time (next: " + firstStep(from) + "); `strangler promote "
                        + route + " --to " + arg(to) + " --force` skips"));
    }

    /** A forward move that {@link #check} would allow but that goes backwards within canary: lowering the share. */
    public static Refusal lowerWithPromote(String route, Position from, Position to) {
        return new Refusal(from, to, to + " is behind " + from + ": promote only moves forward",
                "`strangler percent " + route + " " + Position.formatPercent(to.percent()) + " --reason TEXT` lowers the canary share");
    }

    /** A promote whose target is behind the route (not within canary). */
    public static Refusal behindWithPromote(String route, Position from, Position to) {
        return new Refusal(from, to, to + " is behind " + from + ": promote only moves forward",
                "`strangler rollback " + route + " --to " + arg(to) + " --reason TEXT` moves it back");
    }

    /** A rollback whose target is ahead of the route. */
    public static Refusal aheadWithRollback(String route, Position from, Position to) {
        return new Refusal(from, to, to + " is ahead of " + from + ": rollback only moves back",
                "`strangler promote " + route + " --to " + arg(to) + "` moves it forward");
    }

    /** A canary share set on a route that is not in canary. */
    public static Refusal percentOutsideCanary(String route, Position from, double percent) {
        Position to = Position.canary(percent);
        String pct = Position.formatPercent(percent);
        String hint = to.progress() > from.progress()
                ? "`strangler promote " + route + " --to canary:" + pct + "` puts it in canary"
                : "`strangler rollback " + route + " --to canary:" + pct + " --reason TEXT` moves it back to canary";
        return new Refusal(from, to, "the route is at " + from + ", not in canary", hint);
    }

    /** How a position is written on the command line: {@code canary:25}, {@code live}. */
    public static String arg(Position p) {
        return p.stage() == Stage.CANARY ? "canary:" + Position.formatPercent(p.percent()) : p.stage().configName();
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
