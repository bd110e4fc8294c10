package dev.strangler.core.plan;

import dev.strangler.core.gates.ErrorRateGate;
import dev.strangler.core.gates.FastFailureRule;
import dev.strangler.core.gates.LatencyGate;
import dev.strangler.core.gates.LogLatencies;
import dev.strangler.core.gates.WindowCounts;
import dev.strangler.core.plan.SimulatedTraffic.Behaviour;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The words and numbers of every judgement and gate explanation, pinned: the audit log and the
 * dashboard show them, and people compare them across versions. Decimals use '.' whatever the
 * process's default locale.
 */
class EvidenceTextTest {
    private static final Gates GATES = new Gates(100, Duration.ofMinutes(1), 0.01, 0.20, 0.99, 0.95,
            Duration.ofSeconds(20), Duration.ofMillis(5));
    private static final Gates ODD_GATES = new Gates(300, Duration.ofSeconds(90), 0.0125, 0.155, 0.995, 0.9,
            Duration.ofMillis(2500), Duration.ofMillis(7500));
    private static final PromotionPlan PLAN = new PromotionPlan(true, List.of(1.0, 5.0, 25.0, 50.0), GATES);
    private static final PromotionPlan ODD_PLAN = new PromotionPlan(true, List.of(2.5, 50.0), ODD_GATES);
    private static final Behaviour MONOLITH = Behaviour.healthy(40);

    /** Pinned from the texts {@code String.format(Locale.ROOT, …)} wrote, before it was replaced. */
    private static final String PINNED = """
            HOLD: waiting for comparisons (10 of 100)
            shadow: 10 comparisons, 100 needed: NOT_ENOUGH_DATA
            HOLD: match rate 80.0% is below 99.0%; see `strangler diff` for what differs
            shadow: 400 of 500 comparisons matched (80.0%), required 99.0%: FAIL
            HOLD: gates pass; waiting until 1m at shadow
            shadow: 2999 of 3000 comparisons matched (100.0%), required 99.0%: PASS
            time at shadow: 30s, required 1m: WAIT
            HOLD: gates pass; waiting until 1m30s at shadow
            shadow: 1999 of 2001 comparisons matched (99.9%), required 99.5%: PASS
            time at shadow: 4.5s, required 1m30s: WAIT
            PROMOTE: every gate passed: shadow → canary 2.5%
            shadow: 2000 of 2001 comparisons matched (100.0%), required 99.5%: PASS
            time at shadow: 1h2m, required 1m30s: PASS
            PROMOTE: every gate passed: canary 5% → canary 25%
            error rate: service errors 0.17% (6/3623) vs monolith 0.18% (122/68523) over the same 18 windows: −0.01 points ±0.07, confidently within the allowed 1.00 points (always-valid p<0.0001): PASS
            latency: service typical 40.2 ms vs monolith 40.2 ms over the same 16 windows (3186 and 16000 values): ×1.00, allowed ×1.20 (+20% or +5 ms, whichever is more), confidently within the allowance (always-valid p<0.0001): PASS
            time at canary 5%: 3m, required 1m: PASS
            ROLLBACK: service error rate 16.3% is confidently above the monolith's 0.1% plus the allowed 1.0 points
            error rate: service errors 16.26% (47/289) vs monolith 0.12% (7/5725) over the same 3 windows: +16.14 points ±2.18, confidently above the allowed 1.00 points (always-valid p<0.0001): FAIL
            ROLLBACK: service failing: 401 of 401 requests answered 5xx, while the monolith failed 9 of 3588
            fast path: service failing: 401 of 401 requests answered 5xx, while the monolith failed 9 of 3588: FAIL
            ROLLBACK: service unreachable: 11 of 11 requests got no answer (refused, timed out or reset), while the monolith failed 3 of 1021
            fast path: service unreachable: 11 of 11 requests got no answer (refused, timed out or reset), while the monolith failed 3 of 1021: FAIL
            ROLLBACK: service latency is confidently above the monolith's plus the allowed 20% (or 5 ms)
            error rate: service errors 0.18% (11/5993) vs monolith 0.19% (35/18077) over the same 12 windows: −0.01 points ±0.07, confidently within the allowed 1.00 points (always-valid p<0.0001): PASS
            latency: service typical 79.4 ms vs monolith 40.2 ms over the same 10 windows (4942 and 10000 values): ×1.98, allowed ×1.20 (+20% or +5 ms, whichever is more), confidently slower than allowed (always-valid p<0.0001): FAIL
            HOLD: gates pass; waiting until 1m at canary 25%
            error rate: service errors 0.12% (3/2520) vs monolith 0.26% (20/7608) over the same 5 windows: −0.15 points ±0.10, confidently within the allowed 1.00 points (always-valid p<0.0001): PASS
            latency: service typical 39.9 ms vs monolith 39.5 ms over the same 3 windows (1518 and 3000 values): ×1.01, allowed ×1.20 (+20% or +5 ms, whichever is more), confidently within the allowance (always-valid p<0.0001): PASS
            time at canary 25%: 50s, required 1m: WAIT
            HOLD: waiting for data (service 5, monolith 408 requests; 100 needed on each side)
            error rate: service errors 0.00% (0/5) vs monolith 0.00% (0/408) over the same 2 windows: +0.00 points ±15.65, not yet sure either way against the allowed 1.00 points (above: always-valid p=1.0000, within: always-valid p=1.0000): NOT_ENOUGH_DATA
            latency: warm-up: the first 20s of the step are not judged for latency: WAIT
            HOLD: waiting for evidence that the error rate is within the allowed 1.0 points
            error rate: service errors 1.90% (76/4007) vs monolith 0.20% (8/3988) over the same 4 windows: +1.70 points ±0.23, not yet sure either way against the allowed 1.00 points (above: always-valid p=0.0578, within: always-valid p=1.0000): NOT_ENOUGH_DATA
            latency: service typical 40.2 ms vs monolith 39.9 ms over the same 2 windows (1965 and 1950 values): ×1.01, allowed ×1.20 (+20% or +5 ms, whichever is more), confidently within the allowance (always-valid p=0.0003): PASS
            PROMOTE: every gate passed: canary 2.5% → canary 50%
            error rate: service errors 0.13% (6/4582) vs monolith 0.19% (325/175268) over the same 60 windows: −0.06 points ±0.06, confidently within the allowed 1.25 points (always-valid p<0.0001): PASS
            latency: service typical 3.28 ms vs monolith 39.9 ms over the same 59 windows (4493 and 59000 values): ×0.08, allowed ×188.98 (+16% or +7500 ms, whichever is more), confidently within the allowance (always-valid p<0.0001): PASS
            time at canary 2.5%: 10m, required 1m30s: PASS
            PROMOTE: every gate passed: canary 50% → live
            error rate: service errors 0.18% (80/45461) vs monolith 0.20% (91/44961) over the same 30 windows: −0.03 points ±0.03, confidently within the allowed 1.25 points (always-valid p<0.0001): PASS
            latency: service typical 52.1 ms vs monolith 39.9 ms over the same 29 windows (29000 and 29000 values): ×1.30, allowed ×188.95 (+16% or +7500 ms, whichever is more), confidently within the allowance (always-valid p<0.0001): PASS
            time at canary 50%: 5m, required 1m30s: PASS
            ROLLBACK: service error rate 30.0% is confidently above the monolith's 0.2% plus the allowed 1.3 points, 6692 of its 13533 failures without an answer
            error rate: service errors 30.01% (13533/45092) vs monolith 0.22% (97/44360) over the same 30 windows: +29.79 points ±0.22, confidently above the allowed 1.25 points (always-valid p<0.0001): FAIL
            ROLLBACK: service unreachable: 2205 of its 2205 failures got no answer; service error rate 4.9% is confidently above the monolith's 0.2% plus the allowed 1.3 points
            error rate: service errors 4.88% (2205/45144) vs monolith 0.18% (83/45258) over the same 30 windows: +4.70 points ±0.10, confidently above the allowed 1.25 points (always-valid p<0.0001): FAIL
            HOLD: live: no sign of an outage
            service: 11985 requests, 16 failed (0 without an answer), 0 answered by fallback
            fast path: no run of failures: PASS
            ROLLBACK: service failing: 5455 of 6060 requests failed (2713 got no answer, 2742 answered 5xx)
            service: 6060 requests, 5455 failed (2713 without an answer), 0 answered by fallback
            fast path: service failing: 5455 of 6060 requests failed (2713 got no answer, 2742 answered 5xx): FAIL
            HOLD: monolith is not moved by the controller
            service errors 0.60% (6/1008) vs monolith 0.50% (5/1008) over the same 2 windows: +0.10 points ±0.36, not yet sure either way against the allowed 0.50 points (above: always-valid p=1.0000, within: always-valid p=1.0000): NOT_ENOUGH_DATA
            service errors 0.00% (3/100000) vs monolith 0.00% (1/100000) over the same 1 windows: +0.00 points ±0.00, confidently within the allowed 12.50 points (always-valid p<0.0001): PASS
            no window with requests on both sides yet: NOT_ENOUGH_DATA
            service typical 0.13 ms vs monolith 0.10 ms over the same 1 windows (3 and 3 values): ×1.28, allowed ×5.77 (+13% or +0.50 ms, whichever is more), not yet sure either way (slower: always-valid p=1.0000, within: always-valid p=0.4046): NOT_ENOUGH_DATA
            service typical 21.6 ms vs monolith 499 ms over the same 1 windows (3 and 3 values): ×0.04, allowed ×1.20 (+20% or +2.50 ms, whichever is more), not yet sure either way (slower: always-valid p=1.0000, within: always-valid p=0.0711): NOT_ENOUGH_DATA
            no window with latencies on both sides yet: NOT_ENOUGH_DATA
            service failing: 50 of 50 requests failed (20 got no answer, 30 answered 5xx), while the monolith failed 1 of 100
            service failing: 50 of 50 requests answered 5xx
            service unreachable: 50 of 50 requests got no answer (refused, timed out or reset)
            1.3s 10.0s 1.0s 2h2m""";

    /** Default locales whose decimal separator or digits differ from the root locale's. */
    static Stream<Locale> locales() {
        return Stream.of(Locale.ROOT, Locale.GERMANY, Locale.FRANCE, Locale.forLanguageTag("ar-EG"),
                Locale.forLanguageTag("hi-IN-u-nu-deva"));
    }

    @ParameterizedTest
    @MethodSource("locales")
    void theJudgementsTextsAreExactlyAsPinnedWhateverTheDefaultLocale(Locale locale) {
        Locale before = Locale.getDefault();
        Locale.setDefault(locale);
        try {
            assertThat(String.join("\n", texts())).isEqualTo(PINNED);
        } finally {
            Locale.setDefault(before);
        }
    }

    /** Every summary and evidence line of a set of looks that reach every text the judge and the gates write. */
    static List<String> texts() {
        List<String> out = new ArrayList<>();
        List<Judgement> looks = new ArrayList<>();
        looks.add(StepJudge.judge(Position.SHADOW, PLAN, new StepEvidence(Duration.ofMinutes(2), SideSample.NONE, SideSample.NONE, 10, 10)));
        looks.add(StepJudge.judge(Position.SHADOW, PLAN, new StepEvidence(Duration.ofMinutes(2), SideSample.NONE, SideSample.NONE, 500, 400)));
        looks.add(StepJudge.judge(Position.SHADOW, PLAN, new StepEvidence(Duration.ofSeconds(30), SideSample.NONE, SideSample.NONE, 3000, 2999)));
        looks.add(StepJudge.judge(Position.SHADOW, ODD_PLAN, new StepEvidence(Duration.ofMillis(4500), SideSample.NONE, SideSample.NONE, 2001, 1999)));
        looks.add(StepJudge.judge(Position.SHADOW, ODD_PLAN, new StepEvidence(Duration.ofSeconds(3725), SideSample.NONE, SideSample.NONE, 2001, 2000)));
        looks.add(StepJudge.judge(Position.canary(5), PLAN, StepJudgeTest.step(180, 400, 5, MONOLITH, 1)));
        looks.add(StepJudge.judge(Position.canary(5), PLAN, StepJudgeTest.step(30, 200, 5, MONOLITH.withErrorRate(0.2), 3)));
        looks.add(StepJudge.judge(Position.canary(10), PLAN, StepJudgeTest.step(20, 200, 10, MONOLITH.withErrorRate(1).slower(3), 4)));
        looks.add(StepJudge.judge(Position.canary(1), PLAN, StepJudgeTest.step(10, 100, 1, Behaviour.dead(), 5)));
        looks.add(StepJudge.judge(Position.canary(25), PLAN, StepJudgeTest.step(120, 200, 25, MONOLITH.slower(2), 6)));
        looks.add(StepJudge.judge(Position.canary(25), PLAN, StepJudgeTest.step(50, 200, 25, MONOLITH, 9)));
        looks.add(StepJudge.judge(Position.canary(1), PLAN, StepJudgeTest.step(15, 20, 1, MONOLITH, 7)));
        looks.add(StepJudge.judge(Position.canary(50), PLAN, StepJudgeTest.step(40, 200, 50, MONOLITH.withErrorRate(0.02), 8)));
        looks.add(StepJudge.judge(Position.canary(2.5), ODD_PLAN, StepJudgeTest.step(600, 300, 2.5, Behaviour.healthy(3.3), 11)));
        looks.add(StepJudge.judge(Position.canary(50), ODD_PLAN, StepJudgeTest.step(300, 300, 50, MONOLITH.slower(1.3), 12)));
        looks.add(StepJudge.judge(Position.canary(50), ODD_PLAN, StepJudgeTest.step(300, 300, 50,
                new Behaviour(0.3, 0.5, 400, 0.5), 13)));
        looks.add(StepJudge.judge(Position.canary(50), ODD_PLAN, StepJudgeTest.step(300, 300, 50,
                new Behaviour(0.05, 1, 40, 0.5), 14)));
        looks.add(StepJudge.judge(Position.LIVE, PLAN, StepJudgeTest.step(60, 200, 99, MONOLITH, 10)));
        looks.add(StepJudge.judge(Position.LIVE, PLAN, StepJudgeTest.step(30, 200, 100, new Behaviour(0.9, 0.5, 40, 0.5), 15)));
        looks.add(StepJudge.judge(Position.MONOLITH, PLAN, StepJudgeTest.step(10, 10, 0, MONOLITH, 16)));
        for (Judgement j : looks) {
            out.add(j.action() + ": " + j.summary());
            out.addAll(j.evidence());
        }
        // The gates directly, at values the judge rarely reaches: exact ties, tiny and large numbers.
        out.add(new ErrorRateGate(0.005, 0.05).judge(List.of(new WindowCounts(8, 1, 0, 8, 0),
                new WindowCounts(1000, 5, 0, 1000, 5), new WindowCounts(0, 0, 0, 10, 0))).explanation());
        out.add(new ErrorRateGate(0.125, 0.05).judge(List.of(new WindowCounts(100000, 3, 0, 100000, 1))).explanation());
        out.add(new ErrorRateGate(0.01, 0.05).judge(List.of()).explanation());
        out.add(new LatencyGate(0.125, 0.5, 0.05).judge(List.of(new LatencyGate.Pair(LogLatencies.of(new double[] {0.125, 0.135, 0.145}),
                LogLatencies.of(new double[] {0.1, 0.105, 0.11})))).explanation());
        out.add(new LatencyGate(0.2, 2.5, 0.05).judge(List.of(new LatencyGate.Pair(LogLatencies.of(new double[] {9.995, 10.05, 99.95}),
                LogLatencies.of(new double[] {1234.5, 999.5, 100.5})))).explanation());
        out.add(new LatencyGate(0.2, 0, 0.05).judge(List.of()).explanation());
        out.add(new FastFailureRule(0.01, 0.05).check(List.of(new WindowCounts(50, 50, 20, 100, 1))).orElseThrow().summary());
        out.add(new FastFailureRule(0.01, 0.05).check(List.of(new WindowCounts(50, 50, 0, 0, 0))).orElseThrow().summary());
        out.add(new FastFailureRule(0.01, 0.05).check(List.of(new WindowCounts(50, 50, 50, 0, 0))).orElseThrow().summary());
        out.add(StepJudge.human(Duration.ofMillis(1250)) + " " + StepJudge.human(Duration.ofMillis(9950)) + " "
                + StepJudge.human(Duration.ofMillis(999)) + " " + StepJudge.human(Duration.ofSeconds(7322)));
        return out;
    }
}
