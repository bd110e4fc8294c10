package dev.strangler.control.controller;

import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.SideSample;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.core.plan.StepWindow;
import dev.strangler.core.plan.Transitions;
import dev.strangler.core.stage.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When the controller confirms a suspected outage with a {@link ConnectProbe}, and what it then
 * decides. Pure, so the controller and the simulation apply the same rule.
 *
 * <p><b>Why.</b> The fast path needs two failed requests in a row; a 1 % canary of a quiet route gets
 * about one request per interval, so a dead service there may stay in for three or more intervals.
 * One request with no answer (refused, timed out, reset: the windows do not tell them apart) is
 * enough reason to look: a TCP connect to the service's address. If it is refused or times out
 * within the service's {@code connect-timeout}, the route is rolled back at once, naming both; if
 * it connects, the judgement stands (a reset is for the fast path and the error gate to weigh).
 *
 * <p><b>When.</b> In {@code canary} and {@code live}, when the judgement is not already a rollback
 * and the latest window with service requests holds at least one that got no answer. Never without
 * such a failure: a probe is evidence of an outage only when the traffic already suggests one.
 */
public final class ProbeRule {
    /** The {@code gates} key a rollback names: errors, as the fast path's. */
    static final String ERRORS = "max-error-increase";

    private ProbeRule() {}

    /** The latest window with service requests, when some of them got no answer: what a probe would confirm. */
    public static Optional<SideSample> suspicion(Position at, Judgement judged, StepEvidence evidence) {
        if (at.stage() != Stage.CANARY && at.stage() != Stage.LIVE) return Optional.empty();
        if (judged.action() == Judgement.Action.ROLLBACK) return Optional.empty();
        List<StepWindow> windows = evidence.windows();
        for (int i = windows.size() - 1; i >= 0; i--) {
            SideSample service = windows.get(i).service();
            if (service.requests() == 0) continue;
            return service.hardFailures() > 0 ? Optional.of(service) : Optional.empty();
        }
        return Optional.empty();
    }

    /** One connect attempt to one of the service's addresses, and what it found. */
    public record Probe(ConnectProbe.Address address, ConnectProbe.Outcome outcome) {
        public Probe {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(outcome, "outcome");
        }

        /** "a probe connect to 10.0.0.7:8080 was refused". */
        public String line() {
            return "a probe connect to " + address.host() + ":" + address.port() + " " + outcome.words();
        }
    }

    /** The rollback when every probed address was unreachable, else the judgement with the probes added to its evidence. */
    public static Judgement confirm(Judgement judged, SideSample suspicion, List<Probe> probes) {
        List<String> lines = new ArrayList<>(judged.evidence());
        String probed = String.join("; ", probes.stream().map(Probe::line).toList());
        boolean unreachable = !probes.isEmpty() && probes.stream().allMatch(p -> p.outcome().unreachable());
        if (!unreachable) {
            lines.add("probe: " + probed + ": PASS");
            return new Judgement(judged.action(), judged.from(), judged.to(), judged.summary(), lines, judged.failedGate());
        }
        String summary = "service unreachable: " + suspicion.hardFailures() + " of " + suspicion.requests()
                + " requests got no answer; " + probed;
        lines.add("probe: " + probed + ": FAIL");
        return new Judgement(Judgement.Action.ROLLBACK, judged.from(), Transitions.rollbackTarget(judged.from()), summary,
                lines, Optional.of(ERRORS));
    }
}
