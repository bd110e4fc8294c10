package dev.strangler.core.gates;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class MannWhitneyTestTest {
    private static final int N = 200;
    private final MannWhitneyTest gate = new MannWhitneyTest(0.10, 0.05, MannWhitneyTest.DEFAULT_MIN_SAMPLES);

    /** Log-normal latencies around 100 ms, drawn from a fixed seed so every run sees the same data. */
    private static double[] latencies(long seed, double slowdown) {
        Random random = new Random(seed);
        double[] sample = new double[N];
        for (int i = 0; i < N; i++) sample[i] = slowdown * 100 * Math.exp(0.3 * random.nextGaussian());
        return sample;
    }

    @Test
    void aServiceWithTheSameLatencyDistributionPasses() {
        LatencyResult result = gate.judge(latencies(1, 1.0), latencies(2, 1.0));

        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.pValue()).isGreaterThan(0.05);
    }

    @Test
    void aServiceFiftyPercentSlowerFails() {
        LatencyResult result = gate.judge(latencies(1, 1.5), latencies(2, 1.0));

        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.pValue()).isLessThan(1e-4);
        assertThat(result.serviceMedian()).isGreaterThan(1.3 * result.monolithMedian());
        assertThat(result.explanation()).contains("significantly slower than allowed: FAIL").contains("p<0.0001");
    }

    @Test
    void aServiceFivePercentSlowerPassesWhenTenPercentIsAllowed() {
        double[] monolith = latencies(2, 1.0);
        double[] service = latencies(1, 1.05);

        assertThat(gate.judge(service, monolith).verdict()).isEqualTo(Verdict.PASS);
        assertThat(new MannWhitneyTest(0.0, 0.05, 20).judge(latencies(2, 1.05), latencies(3, 1.0)).verdict())
                .as("the same slowdown with no allowance")
                .isEqualTo(Verdict.FAIL);
    }

    @Test
    void theTextbookExampleGivesTheKnownUAndPValue() {
        // reference: scipy.stats.mannwhitneyu(x, y, alternative="greater", method="asymptotic")
        MannWhitneyTest exact = new MannWhitneyTest(0.0, 0.05, 1);
        double[] slower = {9, 7, 5, 10, 6, 8};
        double[] faster = {3, 4, 2, 6, 2, 5};

        LatencyResult fails = exact.judge(slower, faster);
        assertThat(fails.u()).isEqualTo(34.0);
        assertThat(fails.pValue()).isCloseTo(0.006295955745189852, offset(1e-6));
        assertThat(fails.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(fails.serviceMedian()).isEqualTo(7.5);
        assertThat(fails.monolithMedian()).isEqualTo(3.5);

        LatencyResult passes = exact.judge(faster, slower);
        assertThat(passes.u()).isEqualTo(2.0);
        assertThat(passes.pValue()).isCloseTo(0.9960472777460493, offset(1e-6));
        assertThat(passes.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void tiesGetMidRanksAndTheTieCorrection() {
        // reference: scipy.stats.mannwhitneyu(x, y, alternative="greater", method="asymptotic")
        MannWhitneyTest exact = new MannWhitneyTest(0.0, 0.05, 1);

        LatencyResult result = exact.judge(new double[]{1, 2, 2, 3, 3, 3, 4}, new double[]{2, 3, 3, 4, 4, 5});

        assertThat(result.u()).isEqualTo(11.0);
        assertThat(result.pValue()).isCloseTo(0.9407675530642273, offset(1e-6));
    }

    @Test
    void whenEveryLatencyIsTheSameThereIsNoEvidenceOfASlowdown() {
        double[] flat = new double[30];
        Arrays.fill(flat, 42.0);

        LatencyResult result = new MannWhitneyTest(0.0, 0.05, 20).judge(flat, flat);

        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.pValue()).isEqualTo(1.0);
    }

    @Test
    void fewerSamplesThanTheMinimumOnEitherSideIsNotEnoughData() {
        LatencyResult result = gate.judge(new double[]{500, 600, 700}, latencies(2, 1.0));

        assertThat(result.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(result.u()).isNaN();
        assertThat(result.serviceMedian()).isEqualTo(600.0);
        assertThat(result.explanation()).endsWith("fewer than 20 samples on a side: NOT_ENOUGH_DATA");
    }

    @Test
    void theCallersArraysAreLeftAsTheyWere() {
        double[] monolith = {3, 1, 2};
        double[] service = {6, 5, 4};

        new MannWhitneyTest(0.5, 0.05, 1).judge(service, monolith);

        assertThat(monolith).containsExactly(3, 1, 2);
        assertThat(service).containsExactly(6, 5, 4);
    }

    @Test
    void badArgumentsFailFastSayingWhatWasWrong() {
        assertThatThrownBy(() -> new MannWhitneyTest(0.1, 0.0, 20)).hasMessage("alpha: 0.0 (expected: 0 < alpha < 1)");
        assertThatThrownBy(() -> new MannWhitneyTest(Double.NaN, 0.05, 20))
                .hasMessage("maxIncrease: NaN (expected: finite and >= 0)");
        assertThatThrownBy(() -> gate.judge(new double[]{1, -2}, new double[]{1}))
                .hasMessage("service[1]: -2.0 (expected: finite and >= 0)");
        assertThatThrownBy(() -> gate.judge(new double[]{1}, new double[]{Double.NaN}))
                .hasMessage("monolith[0]: NaN (expected: finite and >= 0)");
    }
}
