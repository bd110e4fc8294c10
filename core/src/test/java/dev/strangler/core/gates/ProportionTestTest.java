package dev.strangler.core.gates;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class ProportionTestTest {
    private final ProportionTest gate = new ProportionTest(0.01, 0.05, 100);

    @Test
    void aServiceWithTwentyPercentErrorsAgainstAMonolithWithOnePercentFails() {
        ErrorRateResult result = gate.judge(40, 200, 2, 200);

        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.serviceRate()).isEqualTo(0.20);
        assertThat(result.monolithRate()).isEqualTo(0.01);
        // pooled two-proportion z with the margin subtracted: (0.19 - 0.01) / sqrt(0.105 * 0.895 * 2/200)
        assertThat(result.z()).isCloseTo(5.871733525032146, offset(1e-9));
        assertThat(result.pValue()).isLessThan(1e-8);
        assertThat(result.explanation()).isEqualTo("service errors 20.0% (40/200) vs monolith 1.0% (2/200): "
                + "higher by 19.0 points, z=5.87, p<0.0001, significantly above allowed 1.0 points: FAIL");
    }

    @Test
    void equalErrorRatesPass() {
        ErrorRateResult result = gate.judge(10, 500, 10, 500);

        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.z()).isNegative();
        assertThat(result.pValue()).isGreaterThan(0.5);
        assertThat(result.explanation()).endsWith("not significantly above allowed 1.0 points: PASS");
    }

    @Test
    void anIncreaseWithinTheAllowedMarginPasses() {
        ProportionTest generous = new ProportionTest(0.05, 0.05, 100);

        assertThat(generous.judge(60, 1000, 30, 1000).verdict()).isEqualTo(Verdict.PASS);
        assertThat(gate.judge(60, 1000, 30, 1000).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aServiceWithFewerErrorsPassesAndSaysLower() {
        ErrorRateResult result = gate.judge(5, 1000, 50, 1000);

        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.explanation()).contains("lower by 4.5 points");
    }

    @Test
    void tinySamplesAreNotEnoughDataEvenWhenTheRatesLookBad() {
        ErrorRateResult result = gate.judge(5, 10, 0, 10);

        assertThat(result.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(result.z()).isNaN();
        assertThat(result.pValue()).isNaN();
        assertThat(result.explanation()).contains("fewer than 100 requests on a side: NOT_ENOUGH_DATA");
    }

    @Test
    void tooFewExpectedErrorsForTheNormalApproximationIsNotEnoughData() {
        ErrorRateResult result = gate.judge(3, 1000, 1, 1000);

        assertThat(result.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(result.explanation()).contains("expected count 2.0 < 5, too few for the normal approximation");
    }

    @Test
    void noErrorsOnEitherSideIsNotEnoughDataRatherThanADecision() {
        assertThat(gate.judge(0, 10_000, 0, 10_000).verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
    }

    @Test
    void badArgumentsFailFastSayingWhatWasWrong() {
        assertThatThrownBy(() -> new ProportionTest(-0.01, 0.05, 100))
                .hasMessage("maxIncrease: -0.01 (expected: finite and >= 0)");
        assertThatThrownBy(() -> new ProportionTest(0.01, 1.5, 100))
                .hasMessage("alpha: 1.5 (expected: 0 < alpha < 1)");
        assertThatThrownBy(() -> new ProportionTest(0.01, 0.05, 0))
                .hasMessage("minRequests: 0 (expected: >= 1)");
        assertThatThrownBy(() -> gate.judge(11, 10, 0, 10))
                .hasMessage("service: 11 errors of 10 requests (expected: 0 <= errors <= requests)");
    }
}
