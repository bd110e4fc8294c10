package dev.strangler.control.controller;

import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.SideSample;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.core.plan.StepWindow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When the controller probes, and what a probe's outcome decides. */
class ProbeRuleTest {
    private static final SideSample MONOLITH = new SideSample(1000, 0, 0, new double[0]);
    private static final SideSample ONE_UNANSWERED = new SideSample(1, 1, 1, new double[0]);
    private static final SideSample ANSWERED = new SideSample(20, 0, 0, new double[0]);

    private static StepEvidence evidence(SideSample... service) {
        List<StepWindow> windows = new java.util.ArrayList<>();
        for (int i = 0; i < service.length; i++) {
            windows.add(new StepWindow(Duration.ofSeconds(10L * i), Duration.ofSeconds(10L * i + 10), MONOLITH, service[i]));
        }
        return new StepEvidence(Duration.ofSeconds(10L * service.length), MONOLITH, ANSWERED, 0, 0, 0, windows);
    }

    private static Judgement hold(Position at) {
        return new Judgement(Judgement.Action.HOLD, at, Optional.empty(), "waiting", List.of("error rate: ..."));
    }

    @Test
    void theLatestWindowWithServiceRequestsDecidesWhetherToProbe() {
        Position canary = Position.canary(1);
        assertThat(ProbeRule.suspicion(canary, hold(canary), evidence(ANSWERED, ONE_UNANSWERED, SideSample.NONE))).contains(ONE_UNANSWERED);
        assertThat(ProbeRule.suspicion(canary, hold(canary), evidence(ONE_UNANSWERED, ANSWERED))).isEmpty();
        assertThat(ProbeRule.suspicion(canary, hold(canary), evidence(ANSWERED))).isEmpty();
        assertThat(ProbeRule.suspicion(Position.LIVE, hold(Position.LIVE), evidence(ONE_UNANSWERED))).contains(ONE_UNANSWERED);
    }

    @Test
    void shadowAndAJudgementThatAlreadyRollsBackAreNotProbed() {
        assertThat(ProbeRule.suspicion(Position.SHADOW, hold(Position.SHADOW), evidence(ONE_UNANSWERED))).isEmpty();
        Position canary = Position.canary(5);
        Judgement rollback = new Judgement(Judgement.Action.ROLLBACK, canary, Optional.of(Position.SHADOW), "fast path",
                List.of());
        assertThat(ProbeRule.suspicion(canary, rollback, evidence(ONE_UNANSWERED))).isEmpty();
    }

    @Test
    void theRouteIsRolledBackOnlyWhenNoAddressOfTheServiceConnects() {
        Position canary = Position.canary(1);
        Judgement both = ProbeRule.confirm(hold(canary), ONE_UNANSWERED, List.of(
                new ProbeRule.Probe(new ConnectProbe.Address("10.0.0.7", 8080), ConnectProbe.Outcome.REFUSED),
                new ProbeRule.Probe(new ConnectProbe.Address("10.0.0.8", 8080), ConnectProbe.Outcome.TIMED_OUT)));
        assertThat(both.action()).isEqualTo(Judgement.Action.ROLLBACK);
        assertThat(both.to()).contains(Position.SHADOW);
        assertThat(both.failedGate()).contains("max-error-increase");
        assertThat(both.summary()).isEqualTo("service unreachable: 1 of 1 requests got no answer; a probe connect to "
                + "10.0.0.7:8080 was refused; a probe connect to 10.0.0.8:8080 timed out");

        Judgement one = ProbeRule.confirm(hold(canary), ONE_UNANSWERED, List.of(
                new ProbeRule.Probe(new ConnectProbe.Address("10.0.0.7", 8080), ConnectProbe.Outcome.REFUSED),
                new ProbeRule.Probe(new ConnectProbe.Address("10.0.0.8", 8080), ConnectProbe.Outcome.CONNECTED)));
        assertThat(one.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(one.summary()).isEqualTo("waiting");
        assertThat(one.evidence()).last().asString().endsWith("10.0.0.8:8080 connected: PASS");

        Judgement failedOtherwise = ProbeRule.confirm(hold(canary), ONE_UNANSWERED,
                List.of(new ProbeRule.Probe(new ConnectProbe.Address("svc.internal", 443), ConnectProbe.Outcome.FAILED)));
        assertThat(failedOtherwise.action()).isEqualTo(Judgement.Action.HOLD); // e.g. a name that does not resolve: not refused, not timed out
    }
}
