package dev.strangler.control.controller;

import dev.strangler.control.migration.GateCheck;
import dev.strangler.control.migration.Migration;
import dev.strangler.core.gates.GateFormat;
import dev.strangler.core.plan.Gates;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.Refusal;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.core.plan.StepJudge;
import dev.strangler.core.plan.Transitions;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Stage;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gates a person's promote must pass, judged on the same evidence as the controller's: the
 * fleet's windows since the route reached its position. Two kinds of failure refuse the move:
 * a shadow match rate below {@code min-match-rate} (measured, not tested: every comparison that
 * differs is an answer a user would have got wrong), and anything the judge would roll back for
 * (service errors or latency beyond the allowance, with the judge's confidence). Too little data
 * is not a failure: a person may move on what they know.
 */
public final class StepGates implements GateCheck {
    private final StateStore store;
    private final Clock clock;

    public StepGates(StateStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Refusal> check(Route route, RouteState state, Position to) {
        Position from = Migration.position(state);
        StepEvidence e = Evidence.of(store.windows(route.name(), state.enteredAt()), state.enteredAt(), clock.instant());
        Gates g = route.plan().gates();
        String force = "`strangler promote " + route.name() + " --to " + Transitions.arg(to) + " --force` moves it anyway";
        if (from.stage() == Stage.SHADOW && e.shadowCompared() > 0 && e.matchRate() < g.minMatchRate()) {
            return Optional.of(new Refusal(from, to, "gate min-match-rate fails: " + e.shadowMatched() + " of "
                    + e.shadowCompared() + " shadow comparisons matched (" + GateFormat.fixed(100 * e.matchRate(), 1)
                    + "%), required " + GateFormat.fixed(100 * g.minMatchRate(), 1) + "%",
                    "`strangler diff " + route.name() + "` shows what differs; " + force, Optional.of("min-match-rate")));
        }
        Judgement j = StepJudge.judge(from, route.plan(), e);
        if (j.action() != Judgement.Action.ROLLBACK) return Optional.empty();
        Optional<String> failing = failingLine(j.evidence());
        String gate = j.failedGate().orElse("gates");
        return Optional.of(new Refusal(from, to, "gate " + gate + " fails: " + j.summary()
                + failing.map(l -> " (" + l + ")").orElse(""),
                "`strangler status` shows the numbers; " + force, Optional.of(gate)));
    }

    /** The evidence line of the failed test (it ends in FAIL), quoted in the refusal. */
    private static Optional<String> failingLine(List<String> evidence) {
        return evidence.stream().filter(l -> l.strip().endsWith("FAIL")).findFirst();
    }
}
