package dev.strangler.core.plan;

import dev.strangler.core.plan.SimulatedTraffic.Behaviour;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small, fast version of bench/controller-sim (docs/controller-simulation.md), kept in CI: the judge
 * through whole ramps on seeded traffic, looked at after every 10 s window with the default gates.
 */
class StepJudgeSimulationTest {
    private static final PromotionPlan PLAN = new PromotionPlan(true, List.of(1.0, 5.0, 25.0, 50.0, 100.0), Gates.DEFAULT);
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration HORIZON = Duration.ofMinutes(40);
    private static final double RPS = 1000;
    private static final Behaviour MONOLITH = Behaviour.healthy(20);

    private record Run(Judgement.Action end, Duration at, long failedServiceRequests) {
    }

    private static Run ramp(long seed, Behaviour service) {
        SimulatedTraffic traffic = new SimulatedTraffic(seed, 200);
        Position at = Position.canary(1);
        Duration t = Duration.ZERO;
        Duration stepStart = Duration.ZERO;
        List<StepWindow> windows = new ArrayList<>();
        long failed = 0;
        while (t.compareTo(HORIZON) < 0) {
            StepWindow w = traffic.window(t.minus(stepStart), INTERVAL, RPS, at.percent(), MONOLITH, service);
            windows.add(w);
            failed += w.service().errors();
            t = t.plus(INTERVAL);
            Judgement j = StepJudge.judge(at, PLAN, SimulatedTraffic.evidence(t.minus(stepStart), windows));
            if (j.action() == Judgement.Action.ROLLBACK) return new Run(j.action(), t, failed);
            if (j.action() == Judgement.Action.PROMOTE) {
                at = j.to().orElseThrow();
                if (at.stage() == dev.strangler.core.stage.Stage.LIVE) return new Run(j.action(), t, failed);
                stepStart = t;
                windows.clear();
            }
        }
        return new Run(Judgement.Action.HOLD, t, failed);
    }

    @Test
    void aServiceIdenticalToTheMonolithIsAlmostNeverRolledBackAndReachesLiveOnTime() {
        int runs = 200, rolledBack = 0, onTime = 0;
        Duration budget = PLAN.gates().minTime().multipliedBy(4).plus(INTERVAL.multipliedBy(2));
        for (int seed = 0; seed < runs; seed++) {
            Run run = ramp(seed, MONOLITH);
            if (run.end() == Judgement.Action.ROLLBACK) rolledBack++;
            if (run.end() == Judgement.Action.PROMOTE && run.at().compareTo(budget) <= 0) onTime++;
        }
        assertThat(rolledBack).as("false rollbacks of %d ramps", runs).isLessThanOrEqualTo(2);
        assertThat(onTime).as("ramps live within the minimum times plus 2 intervals").isGreaterThanOrEqualTo(190);
    }

    @Test
    void aDeadServiceIsRolledBackAtTheFirstLook() {
        for (int seed = 0; seed < 200; seed++) {
            Run run = ramp(seed, Behaviour.dead());
            assertThat(run.end()).isEqualTo(Judgement.Action.ROLLBACK);
            assertThat(run.at()).isEqualTo(INTERVAL);
        }
    }
}
