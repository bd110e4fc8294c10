package dev.strangler.bench.sim;

import dev.strangler.control.controller.ConnectProbe;
import dev.strangler.control.controller.Evidence;
import dev.strangler.control.controller.ProbeRule;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.PromotionPlan;
import dev.strangler.core.plan.SideSample;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.core.plan.StepJudge;
import dev.strangler.core.plan.StepWindow;
import dev.strangler.core.stage.Stage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One simulated run: a route starting at {@code from}, judged by the real {@link StepJudge} after
 * every window, its evidence summed by the real {@link Evidence}, a suspected outage confirmed as
 * the controller does ({@link ProbeRule}, with a probe that is refused exactly when the simulated
 * service is dead), on a virtual clock. Ends at {@code live} (from a canary), at a rollback, or at
 * the horizon.
 */
final class Ramp {
    enum End { LIVE, ROLLBACK, HORIZON }

    /**
     * Counts are of the windows from the fault's onset ({@code faultFrom}) on: what the fault cost.
     *
     * @param seconds             when the run ended, from its start
     * @param serviceRequests     requests sent to the service until then
     * @param serviceFailures     of those, failed (5xx or no answer) and actually sent: an ejected
     *                            request counts as a failure in the windows, not here
     * @param userVisibleFailures service failures a user saw (no fallback hid them)
     * @param promotions          steps the route was promoted
     * @param reason              the judgement's summary at the end
     */
    record Result(End end, double seconds, long serviceRequests, long serviceFailures, long userVisibleFailures,
                  int promotions, String reason) {
    }

    private Ramp() {
    }

    static Result run(Traffic traffic, PromotionPlan plan, Position from, Duration interval, Duration horizon,
                      Duration faultFrom) {
        Position at = from;
        Duration t = Duration.ZERO;
        Duration stepStart = Duration.ZERO;
        List<StepWindow> windows = new ArrayList<>();
        long fallbacks = 0, sReq = 0, sFail = 0, visible = 0;
        int promotions = 0;
        String reason = "";
        while (t.compareTo(horizon) < 0) {
            double percent = at.stage() == Stage.CANARY ? at.percent() : at.stage() == Stage.LIVE ? 100 : 0;
            Traffic.Window w = traffic.window(t, interval, percent);
            windows.add(Evidence.window(w.metrics(), Instant.EPOCH.plus(stepStart)));
            fallbacks += w.metrics().fallbacks();
            if (t.compareTo(faultFrom) >= 0) {
                sReq += w.metrics().service().requests();
                sFail += w.serviceSentFailures();
                visible += w.serviceUserVisibleFailures();
            }
            t = t.plus(interval);

            StepEvidence evidence = Evidence.sum(windows, t.minus(stepStart), 0, 0, fallbacks);
            Judgement j = StepJudge.judge(at, plan, evidence);
            Optional<SideSample> suspicion = ProbeRule.suspicion(at, j, evidence);
            if (suspicion.isPresent()) { // the probe's connect is refused exactly when the simulated service is dead
                var outcome = traffic.serviceDeadAt(t) ? ConnectProbe.Outcome.REFUSED : ConnectProbe.Outcome.CONNECTED;
                j = ProbeRule.confirm(j, suspicion.get(), List.of(new ProbeRule.Probe(new ConnectProbe.Address("service", 8080), outcome)));
            }
            reason = j.summary();
            if (j.action() == Judgement.Action.ROLLBACK) {
                return new Result(End.ROLLBACK, seconds(t), sReq, sFail, visible, promotions, reason);
            }
            if (j.action() == Judgement.Action.PROMOTE) {
                at = j.to().orElseThrow();
                promotions++;
                if (at.stage() == Stage.LIVE) return new Result(End.LIVE, seconds(t), sReq, sFail, visible, promotions, reason);
                stepStart = t;
                windows.clear();
                fallbacks = 0;
            }
        }
        return new Result(End.HORIZON, seconds(t), sReq, sFail, visible, promotions, reason);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
