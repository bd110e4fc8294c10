package dev.strangler.core.gates;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MixtureSprtTest {
    private static final MixtureSprt ONE_SCALE = new MixtureSprt(1.0);

    @Test
    void theOneSidedRatioMatchesTheClosedFormOfJohariEtAlTimesTheSideFactor() {
        double d = 0.3, v = 0.01, t2 = 1.0;
        double twoSided = Math.sqrt(v / (v + t2)) * Math.exp(d * d * t2 / (2 * v * (v + t2)));
        double side = 2 * StandardNormal.cdf(d * Math.sqrt(t2) / Math.sqrt(v * (v + t2)));
        assertThat(ONE_SCALE.logRatioAbove(d, v)).isCloseTo(Math.log(twoSided * side), within(1e-6));
    }

    @Test
    void evidenceForOneSideIsNoEvidenceForTheOther() {
        assertThat(ONE_SCALE.logRatioAbove(0.5, 0.01)).isGreaterThan(Math.log(1000));
        assertThat(ONE_SCALE.logRatioBelow(0.5, 0.01)).isLessThan(0);
        assertThat(MixtureSprt.pValue(ONE_SCALE.logRatioBelow(0.5, 0.01))).isEqualTo(1);
    }

    @Test
    void moreDataForTheSameEstimateIsMoreEvidence() {
        double previous = Double.NEGATIVE_INFINITY;
        for (double v = 0.02; v > 1e-5; v /= 2) { // z above 1.4: past the first look's cost
            double log = ONE_SCALE.logRatioAbove(0.2, v);
            assertThat(log).isGreaterThan(previous);
            previous = log;
        }
    }

    @Test
    void anEstimateFarInTheOtherTailGivesAFiniteRatioNotMinusInfinityOrNaN() {
        double log = ONE_SCALE.logRatioAbove(-40, 0.01);
        assertThat(log).isFinite().isLessThan(-5);
    }

    @Test
    void underTheNullTheChanceOfEverCrossingOneOverAlphaIsAtMostAlpha() {
        // Brownian motion in information time at the boundary: 2,000 paths, 200 looks each.
        MixtureSprt sprt = new MixtureSprt(0.03, 0.1, 0.3, 1.0);
        Random random = new Random(42);
        int crossed = 0;
        for (int path = 0; path < 2000; path++) {
            double sum = 0;
            for (int n = 1; n <= 200; n++) {
                sum += random.nextGaussian();
                if (sprt.logRatioAbove(sum / n, 1.0 / n) >= Math.log(20)) {
                    crossed++;
                    break;
                }
            }
        }
        assertThat(crossed).isLessThanOrEqualTo(100); // alpha = 5 %
    }

    @Test
    void scalesMustBePositive() {
        assertThatThrownBy(() -> new MixtureSprt(0.1, 0)).hasMessage("scales[1]: 0.0 (expected: finite and > 0)");
        assertThatThrownBy(MixtureSprt::new).hasMessage("scales: none (expected: at least one)");
    }
}
