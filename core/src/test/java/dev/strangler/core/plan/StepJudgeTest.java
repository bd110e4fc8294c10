package dev.strangler.core.plan;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StepJudgeTest {
    private static final Gates GATES = new Gates(100, Duration.ofMinutes(1), 0.01, 0.20, 0.99, 0.95);
    private static final PromotionPlan PLAN = new PromotionPlan(true, List.of(1.0, 5.0, 25.0, 50.0), GATES);
    private static final Duration LONG_ENOUGH = Duration.ofMinutes(2);

    private static double[] latencies(int n, double median, long seed) {
        Random r = new Random(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = median * Math.exp(0.3 * r.nextGaussian());
        return out;
    }

    private static SideSample side(long requests, long errors, double medianMillis, long seed) {
        return new SideSample(requests, errors, latencies((int) Math.min(requests, 1000), medianMillis, seed));
    }

    @Test
    void aHealthyCanaryWithoutErrorsIsPromotedToTheNextStepWithTheEvidence() {
        StepEvidence e = new StepEvidence(LONG_ENOUGH, side(2000, 0, 10, 1), side(400, 0, 10, 2), 0, 0);
        Judgement j = StepJudge.judge(Position.canary(5), PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.PROMOTE);
        assertThat(j.to()).contains(Position.canary(25));
        assertThat(j.evidence()).anySatisfy(l -> assertThat(l).startsWith("error rate: ").contains("PASS"));
        assertThat(j.evidence()).anySatisfy(l -> assertThat(l).startsWith("latency: ").contains("PASS"));
    }

    @Test
    void theLastCanaryStepPromotesToLive() {
        StepEvidence e = new StepEvidence(LONG_ENOUGH, side(2000, 4, 10, 1), side(2000, 3, 10, 2), 0, 0);
        assertThat(StepJudge.judge(Position.canary(50), PLAN, e).to()).contains(Position.LIVE);
    }

    @Test
    void aServiceWithTwentyPercentErrorsIsRolledBackAtOnceWithThePValueInTheEvidence() {
        StepEvidence e = new StepEvidence(Duration.ofSeconds(5), side(1000, 5, 10, 1), side(200, 40, 10, 2), 0, 0);
        Judgement j = StepJudge.judge(Position.canary(5), PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.ROLLBACK);
        assertThat(j.to()).contains(Position.SHADOW);
        assertThat(j.summary()).startsWith("service error rate 20.0% is significantly above the monolith's 0.5%");
        assertThat(j.evidence().getFirst()).containsPattern("p[<=]0").endsWith("FAIL");
    }

    @Test
    void aMuchSlowerServiceIsRolledBack() {
        StepEvidence e = new StepEvidence(LONG_ENOUGH, side(1000, 0, 10, 1), side(300, 0, 25, 2), 0, 0);
        Judgement j = StepJudge.judge(Position.canary(25), PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.ROLLBACK);
        assertThat(j.summary()).contains("latency");
    }

    @Test
    void tooFewRequestsHoldInsteadOfDeciding() {
        StepEvidence e = new StepEvidence(LONG_ENOUGH, side(1000, 0, 10, 1), side(30, 0, 10, 2), 0, 0);
        Judgement j = StepJudge.judge(Position.canary(1), PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(j.summary()).isEqualTo("waiting for data (service 30, monolith 1000 requests; 100 needed on each side)");
    }

    @Test
    void rareServiceErrorsAboveTheAllowanceHoldRatherThanPass() {
        // 3 of 150 (2 %) against none: too rare for the test, and above the one-point allowance.
        StepEvidence e = new StepEvidence(LONG_ENOUGH, side(150, 0, 10, 1), side(150, 3, 10, 2), 0, 0);
        assertThat(StepJudge.judge(Position.canary(5), PLAN, e).action()).isEqualTo(Judgement.Action.HOLD);
    }

    @Test
    void passingGatesStillWaitForTheMinimumTime() {
        StepEvidence e = new StepEvidence(Duration.ofSeconds(20), side(2000, 0, 10, 1), side(400, 0, 10, 2), 0, 0);
        Judgement j = StepJudge.judge(Position.canary(5), PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(j.summary()).isEqualTo("gates pass; waiting until 1m at canary 5%");
        assertThat(j.evidence().getLast()).isEqualTo("time at canary 5%: 20s, required 1m: WAIT");
    }

    @Test
    void shadowPromotesToTheFirstCanaryStepOnEnoughMatchingComparisons() {
        StepEvidence e = new StepEvidence(LONG_ENOUGH, SideSample.NONE, SideSample.NONE, 500, 499);
        Judgement j = StepJudge.judge(Position.SHADOW, PLAN, e);
        assertThat(j.action()).isEqualTo(Judgement.Action.PROMOTE);
        assertThat(j.to()).contains(Position.canary(1));
        assertThat(j.evidence().getFirst()).isEqualTo("shadow: 499 of 500 comparisons matched (99.8%), required 99.0%: PASS");
    }

    @Test
    void shadowWithAPoorMatchRateHoldsAndPointsToTheDiff() {
        Judgement j = StepJudge.judge(Position.SHADOW, PLAN, new StepEvidence(LONG_ENOUGH, SideSample.NONE, SideSample.NONE, 500, 400));
        assertThat(j.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(j.summary()).isEqualTo("match rate 80.0% is below 99.0%; see `strangler diff` for what differs");
        assertThat(StepJudge.judge(Position.SHADOW, PLAN, new StepEvidence(LONG_ENOUGH, SideSample.NONE, SideSample.NONE, 10, 10))
                .summary()).isEqualTo("waiting for comparisons (10 of 100)");
    }

    @Test
    void liveAndMonolithAreNotMovedByTheController() {
        StepEvidence e = new StepEvidence(LONG_ENOUGH, SideSample.NONE, SideSample.NONE, 0, 0);
        assertThat(StepJudge.judge(Position.LIVE, PLAN, e).action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(StepJudge.judge(Position.MONOLITH, PLAN, e).action()).isEqualTo(Judgement.Action.HOLD);
    }

    @Test
    void sideSamplesAreCopiedSoTheEvidenceCannotChangeAfterTheFact() {
        double[] values = {1, 2, 3};
        SideSample s = new SideSample(3, 0, values);
        values[0] = 99;
        assertThat(Arrays.stream(s.latenciesMillis()).max().orElseThrow()).isEqualTo(3);
    }
}
