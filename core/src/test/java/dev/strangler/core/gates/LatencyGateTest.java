package dev.strangler.core.gates;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyGateTest {
    private static final LatencyGate GATE = new LatencyGate(0.2, 5, 0.025);

    private static LogLatencies logNormal(Random random, int n, double median) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = median * Math.exp(0.5 * random.nextGaussian());
        return LogLatencies.of(values);
    }

    private static List<LatencyGate.Pair> windows(int count, int serviceValues, double serviceMedian, double monolithMedian) {
        Random random = new Random(count * 31L + serviceValues);
        List<LatencyGate.Pair> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new LatencyGate.Pair(logNormal(random, serviceValues, serviceMedian), logNormal(random, 500, monolithMedian)));
        }
        return out;
    }

    @Test
    void twiceAsSlowFailsAndTheExplanationSaysByHowMuch() {
        GateResult result = GATE.judge(windows(10, 20, 80, 40));
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.explanation()).containsPattern("service typical 8\\d\\.\\d ms vs monolith (39|40)\\.\\d ms over the same 10 windows")
                .contains("allowed ×1.20 (+20% or +5 ms, whichever is more)").endsWith("FAIL");
    }

    @Test
    void theSameLatencyPassesOnceThereAreEnoughValues() {
        assertThat(GATE.judge(windows(1, 3, 40, 40)).verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(GATE.judge(windows(10, 20, 40, 40)).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void theFloorAllowsAFewMillisecondsOnAFastEndpointButNotOnASlowOne() {
        assertThat(GATE.judge(windows(10, 50, 6, 3)).verdict()).isEqualTo(Verdict.PASS);
        assertThat(GATE.judge(windows(10, 50, 60, 30)).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void theSidesAreComparedWithinWindowsSoTheBusyHourCountsAgainstBoth() {
        // Latency doubles in the busy hour; the service only ran then. Pooled it looks twice as slow.
        Random random = new Random(3);
        List<LatencyGate.Pair> windows = new ArrayList<>();
        for (int i = 0; i < 20; i++) windows.add(new LatencyGate.Pair(LogLatencies.NONE, logNormal(random, 500, 20)));
        for (int i = 0; i < 20; i++) windows.add(new LatencyGate.Pair(logNormal(random, 50, 40), logNormal(random, 500, 40)));
        GateResult result = GATE.judge(windows);
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(Math.exp(result.estimate())).isCloseTo(1.0, within(0.05));
    }

    @Test
    void oneBusyWindowInWhichTheServiceHitAPauseIsNotAloneEnoughToRollBack() {
        // 1,000 values a side, the service 35 % slower in this one window: a GC pause, not a regression.
        Random random = new Random(9);
        LatencyGate.Pair paused = new LatencyGate.Pair(logNormal(random, 1000, 27), logNormal(random, 1000, 20));
        assertThat(GATE.judge(List.of(paused)).verdict()).isNotEqualTo(Verdict.FAIL);
        // Window after window of it is a regression.
        List<LatencyGate.Pair> persistent = new ArrayList<>();
        for (int i = 0; i < 6; i++) persistent.add(new LatencyGate.Pair(logNormal(random, 1000, 27), logNormal(random, 1000, 20)));
        assertThat(GATE.judge(persistent).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void theBetweenWindowVarianceIsEstimatedFromTheWindowsButNeverBelowTheFloor() {
        assertThat(LatencyGate.betweenWindowVariance(new double[] {0.1}, new double[] {0.001})).isEqualTo(LatencyGate.WINDOW_NOISE);
        assertThat(LatencyGate.betweenWindowVariance(new double[] {0.0, 0.0, 0.0}, new double[] {0.001, 0.001, 0.001}))
                .isEqualTo(LatencyGate.WINDOW_NOISE);
        // differences of ±0.3 with sampling variance 0.001: almost all of it is between windows
        assertThat(LatencyGate.betweenWindowVariance(new double[] {0.3, -0.3, 0.3, -0.3}, new double[] {0.001, 0.001, 0.001, 0.001}))
                .isCloseTo(0.12 - 0.001, within(1e-9));
    }

    @Test
    void identicalValuesOnBothSidesNeverLookInfinitelySure() {
        LogLatencies same = LogLatencies.of(new double[] {5, 5, 5, 5});
        GateResult result = GATE.judge(Collections.nCopies(3, new LatencyGate.Pair(same, same)));
        assertThat(result.verdict()).isNotEqualTo(Verdict.FAIL);
        assertThat(result.pWorse()).isEqualTo(1);
    }
}
