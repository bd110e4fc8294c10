package dev.strangler.core.plan;

import dev.strangler.core.plan.SimulatedTraffic.Behaviour;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StepJudgeTest {
    private static final Gates GATES = new Gates(100, Duration.ofMinutes(1), 0.01, 0.20, 0.99, 0.95,
            Duration.ofSeconds(20), Duration.ofMillis(5));
    private static final PromotionPlan PLAN = new PromotionPlan(true, List.of(1.0, 5.0, 25.0, 50.0), GATES);
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Behaviour MONOLITH = Behaviour.healthy(40);

    /** {@code seconds} of traffic at {@code percent}, one window per interval. */
    static StepEvidence step(long seconds, double rps, double percent, Behaviour service, long seed) {
        SimulatedTraffic traffic = new SimulatedTraffic(seed, 1000);
        List<StepWindow> windows = new ArrayList<>();
        for (Duration t = Duration.ZERO; t.getSeconds() < seconds; t = t.plus(INTERVAL)) {
            windows.add(traffic.window(t, INTERVAL, rps, percent, MONOLITH, service));
        }
        return SimulatedTraffic.evidence(Duration.ofSeconds(seconds), windows);
    }

    private static StepWindow window(long sinceSeconds, SideSample monolith, SideSample service) {
        return new StepWindow(Duration.ofSeconds(sinceSeconds), Duration.ofSeconds(sinceSeconds + 10), monolith, service);
    }

    private static double[] latencies(int n, double millis) {
        double[] out = new double[n];
        Arrays.fill(out, millis);
        for (int i = 0; i < n; i++) out[i] *= 1 + 0.1 * ((i % 7) - 3) / 3.0;
        return out;
    }

    @Test
    void aHealthyCanaryIsPromotedToTheNextStepWithEveryGateInTheEvidence() {
        Judgement j = StepJudge.judge(Position.canary(5), PLAN, step(180, 400, 5, MONOLITH, 1));
        assertThat(j.action()).isEqualTo(Judgement.Action.PROMOTE);
        assertThat(j.to()).contains(Position.canary(25));
        assertThat(j.evidence()).anySatisfy(l -> assertThat(l).startsWith("error rate: ").endsWith("PASS"));
        assertThat(j.evidence()).anySatisfy(l -> assertThat(l).startsWith("latency: ").endsWith("PASS"));
        assertThat(j.evidence().getLast()).isEqualTo("time at canary 5%: 3m, required 1m: PASS");
    }

    @Test
    void theLastCanaryStepPromotesToLive() {
        assertThat(StepJudge.judge(Position.canary(50), PLAN, step(120, 200, 50, MONOLITH, 2)).to()).contains(Position.LIVE);
    }

    @Test
    void aServiceWithTwentyPercentErrorsIsRolledBackWithErrorsAsTheReason() {
        Judgement j = StepJudge.judge(Position.canary(5), PLAN, step(30, 200, 5, MONOLITH.withErrorRate(0.2), 3));
        assertThat(j.action()).isEqualTo(Judgement.Action.ROLLBACK);
        assertThat(j.to()).contains(Position.SHADOW);
        assertThat(j.summary()).startsWith("service error rate ").contains("is confidently above the monolith's");
        assertThat(j.evidence().getFirst()).startsWith("error rate: ").containsPattern("always-valid p[<=]0").endsWith("FAIL");
    }

    @Test
    void aServiceAnsweringOnly500sIsRolledBackForItsErrorsNotItsLatency() {
        // The case: errors 24/24 was rolled back with latency as the reason.
        StepEvidence e = step(20, 200, 10, MONOLITH.withErrorRate(1).slower(3), 4);
        Judgement j = StepJudge.judge(Position.canary(10), PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.ROLLBACK);
        assertThat(j.summary()).startsWith("service failing: ").contains("requests answered 5xx");
    }

    @Test
    void aDeadServiceIsRolledBackAtTheFirstLookWhateverMinRequestsSays() {
        StepEvidence e = step(10, 100, 1, Behaviour.dead(), 5);
        assertThat(e.service().requests()).isLessThan(GATES.minRequests());
        Judgement j = StepJudge.judge(Position.canary(1), PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.ROLLBACK);
        assertThat(j.summary()).matches("service unreachable: (\\d+) of \\1 requests got no answer .*");
        assertThat(j.evidence().getFirst()).startsWith("fast path: service unreachable");
    }

    @Test
    void aOnePercentCanaryWithOneRequestPerIntervalIsRolledBackAtTheSecondLook() {
        SideSample monolith = new SideSample(1000, 2, latencies(200, 40));
        SideSample refused = new SideSample(1, 1, 1, new double[0]);
        List<StepWindow> windows = new ArrayList<>();
        for (int look = 1; look <= 2; look++) {
            windows.add(window(10L * (look - 1), monolith, refused));
            Judgement j = StepJudge.judge(Position.canary(1), PLAN, SimulatedTraffic.evidence(Duration.ofSeconds(10L * look), windows));
            assertThat(j.action()).as("look %d", look).isEqualTo(look < 2 ? Judgement.Action.HOLD : Judgement.Action.ROLLBACK);
        }
    }

    @Test
    void aServiceThatDiesInTheMiddleOfAStepIsRolledBackAtTheNextLook() {
        SideSample monolith = new SideSample(2000, 4, latencies(200, 40));
        SideSample good = new SideSample(200, 0, latencies(200, 40));
        List<StepWindow> windows = new ArrayList<>();
        for (int i = 0; i < 20; i++) windows.add(window(10L * i, monolith, good));
        windows.add(window(200, monolith, new SideSample(20, 20, 20, new double[0])));
        Judgement j = StepJudge.judge(Position.canary(10), PLAN, SimulatedTraffic.evidence(Duration.ofSeconds(210), windows));
        assertThat(j.action()).isEqualTo(Judgement.Action.ROLLBACK);
        assertThat(j.summary()).startsWith("service unreachable: 20 of 20 requests got no answer");
    }

    @Test
    void aServiceKilledInTheMiddleOfAWindowIsNamedUnreachableEvenWhenTheErrorTestCatchesIt() {
        // The window holds 212 answers and then 18 refusals: the fast path's CUSUM reads it as one block
        // of mostly answers, so the error-rate test is what rolls back, and the reason must still say
        // what the operator has to act on (seen in RealProcessesEndToEndTest under load).
        SideSample monolith = new SideSample(230, 0, latencies(230, 40));
        SideSample killed = new SideSample(230, 18, 18, latencies(212, 40));
        StepEvidence e = SimulatedTraffic.evidence(Duration.ofSeconds(10), List.of(window(0, monolith, killed)));
        Judgement j = StepJudge.judge(Position.canary(50), PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.ROLLBACK);
        assertThat(j.summary()).startsWith("service unreachable: 18 of its 18 failures got no answer; service error rate 7.8%");
    }

    @Test
    void aMuchSlowerServiceIsRolledBackOnceTheWarmUpIsOver() {
        Behaviour slow = MONOLITH.slower(2);
        Judgement during = StepJudge.judge(Position.canary(25), PLAN, step(20, 200, 25, slow, 6));
        assertThat(during.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(during.evidence()).contains("latency: warm-up: the first 20s of the step are not judged for latency: WAIT");

        Judgement after = StepJudge.judge(Position.canary(25), PLAN, step(40, 200, 25, slow, 6));
        assertThat(after.action()).isEqualTo(Judgement.Action.ROLLBACK);
        assertThat(after.summary()).isEqualTo("service latency is confidently above the monolith's plus the allowed 20% (or 5 ms)");
    }

    @Test
    void aSlowColdStartInsideTheWarmUpIsNotHeldAgainstTheService() {
        SideSample monolith = new SideSample(2000, 0, latencies(500, 10));
        List<StepWindow> windows = new ArrayList<>();
        windows.add(window(0, monolith, new SideSample(100, 0, latencies(100, 60)))); // JIT, cold pools
        windows.add(window(10, monolith, new SideSample(100, 0, latencies(100, 30))));
        for (int i = 2; i < 12; i++) windows.add(window(10L * i, monolith, new SideSample(100, 0, latencies(100, 10))));
        Judgement j = StepJudge.judge(Position.canary(5), PLAN, SimulatedTraffic.evidence(Duration.ofSeconds(120), windows));
        assertThat(j.action()).isEqualTo(Judgement.Action.PROMOTE);
    }

    @Test
    void aFewMillisecondsOnAFastEndpointNeverFailTheLatencyGate() {
        // 3 ms against 6 ms: twice as slow, but within the 5 ms floor.
        SideSample monolith = new SideSample(2000, 0, latencies(500, 3));
        List<StepWindow> windows = new ArrayList<>();
        for (int i = 0; i < 12; i++) windows.add(window(10L * i, monolith, new SideSample(500, 0, latencies(500, 6))));
        Judgement j = StepJudge.judge(Position.canary(25), PLAN, SimulatedTraffic.evidence(Duration.ofSeconds(120), windows));
        assertThat(j.action()).isEqualTo(Judgement.Action.PROMOTE);
        assertThat(j.evidence()).anySatisfy(l -> assertThat(l).startsWith("latency: ").contains("allowed ×2.67").endsWith("PASS"));
    }

    @Test
    void tooFewRequestsHoldInsteadOfPromoting() {
        Judgement j = StepJudge.judge(Position.canary(1), PLAN, step(60, 40, 1, MONOLITH, 7));
        assertThat(j.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(j.summary()).startsWith("waiting for data (service ").endsWith("100 needed on each side)");
    }

    @Test
    void aServiceWithErrorsNearTheAllowanceHoldsUntilTheEvidenceIsClear() {
        // 1.4 points above the monolith in expectation, allowance 1 point; these two minutes show
        // +0.99 ± 0.14 points: neither confidently worse nor within.
        Judgement j = StepJudge.judge(Position.canary(25), PLAN, step(120, 200, 25, MONOLITH.withErrorRate(0.016), 8));
        assertThat(j.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(j.summary()).isEqualTo("waiting for evidence that the error rate is within the allowed 1.0 points");
    }

    @Test
    void passingGatesStillWaitForTheMinimumTime() {
        Judgement j = StepJudge.judge(Position.canary(25), PLAN, step(50, 200, 25, MONOLITH, 9));
        assertThat(j.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(j.summary()).isEqualTo("gates pass; waiting until 1m at canary 25%");
        assertThat(j.evidence().getLast()).isEqualTo("time at canary 25%: 50s, required 1m: WAIT");
    }

    @Test
    void aLiveServiceThatStopsAnsweringIsRolledBackToShadowWithItsFallbacksCounted() {
        SideSample fallbacksOnly = SideSample.NONE;
        List<StepWindow> windows = List.of(
                window(0, SideSample.NONE, new SideSample(500, 1, latencies(500, 10))),
                window(10, SideSample.NONE, new SideSample(40, 40, 40, new double[0])));
        StepEvidence e = new StepEvidence(Duration.ofSeconds(20), fallbacksOnly, new SideSample(540, 41, 40, new double[0]),
                0, 0, 38, windows);
        Judgement j = StepJudge.judge(Position.LIVE, PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.ROLLBACK);
        assertThat(j.to()).contains(Position.SHADOW);
        assertThat(j.summary()).startsWith("service unreachable: 40 of 40 requests got no answer");
        assertThat(j.evidence().getFirst()).isEqualTo("service: 540 requests, 41 failed (40 without an answer), 38 answered by fallback");
    }

    @Test
    void aHealthyLiveServiceIsHeldAndRetiredRoutesAreNotJudged() {
        StepEvidence e = step(60, 200, 99, MONOLITH, 10);
        assertThat(StepJudge.judge(Position.LIVE, PLAN, e).action()).isEqualTo(Judgement.Action.HOLD);
        Judgement retired = StepJudge.judge(Position.RETIRED, PLAN, e);
        assertThat(retired.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(retired.evidence()).isEmpty();
        assertThat(StepJudge.judge(Position.MONOLITH, PLAN, e).action()).isEqualTo(Judgement.Action.HOLD);
    }

    @Test
    void shadowPromotesToTheFirstCanaryStepOnEnoughMatchingComparisons() {
        StepEvidence e = new StepEvidence(Duration.ofMinutes(2), SideSample.NONE, SideSample.NONE, 500, 499);
        Judgement j = StepJudge.judge(Position.SHADOW, PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.PROMOTE);
        assertThat(j.to()).contains(Position.canary(1));
        assertThat(j.evidence().getFirst()).isEqualTo("shadow: 499 of 500 comparisons matched (99.8%), required 99.0%: PASS");
    }

    @Test
    void shadowWithAPoorMatchRateHoldsAndPointsToTheDiff() {
        Duration d = Duration.ofMinutes(2);
        Judgement j = StepJudge.judge(Position.SHADOW, PLAN, new StepEvidence(d, SideSample.NONE, SideSample.NONE, 500, 400));
        assertThat(j.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(j.summary()).isEqualTo("match rate 80.0% is below 99.0%; see `strangler diff` for what differs");
        assertThat(StepJudge.judge(Position.SHADOW, PLAN, new StepEvidence(d, SideSample.NONE, SideSample.NONE, 10, 10))
                .summary()).isEqualTo("waiting for comparisons (10 of 100)");
    }

    @Test
    void theWarmUpIsAtMostHalfTheMinimumTime() {
        assertThat(GATES.effectiveWarmUp()).isEqualTo(Duration.ofSeconds(20));
        assertThat(Gates.DEFAULT.effectiveWarmUp()).isEqualTo(Duration.ofSeconds(30));
        assertThat(new Gates(50, Duration.ofSeconds(10), 0.01, 0.2, 0.99, 0.95).effectiveWarmUp()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void sideSamplesAreCopiedSoTheEvidenceCannotChangeAfterTheFact() {
        double[] values = {1, 2, 3};
        SideSample s = new SideSample(3, 0, values);
        values[0] = 99;
        assertThat(Arrays.stream(s.latenciesMillis()).max().orElseThrow()).isEqualTo(3);
    }

    @Test
    void theFirstEligibleLookIsTheFirstWindowWithTheMinimumTimeAndRequestsOnEachSide() {
        List<StepWindow> windows = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            windows.add(window(10L * i, new SideSample(1000, 0, 0, new double[0]), new SideSample(10, 0, 0, new double[0])));
        }
        // min-time 1m is reached by window 6 (until 60 s); 100 service requests only by window 10
        assertThat(StepJudge.firstEligible(windows.subList(0, 9), GATES)).isZero();
        assertThat(StepJudge.firstEligible(windows, GATES)).isEqualTo(10);
        // errors play no part: the same windows with every service request failed
        List<StepWindow> failing = windows.stream().map(w -> new StepWindow(w.since(), w.until(), w.monolith(),
                new SideSample(10, 10, 10, new double[0]))).toList();
        assertThat(StepJudge.firstEligible(failing, GATES)).isEqualTo(10);
    }
}
