package dev.strangler.core.gates;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class StandardNormalTest {

    @Test
    void theOneSidedFivePercentCriticalValueGivesAPValueOfFivePercent() {
        assertThat(StandardNormal.upperTail(1.6449)).isCloseTo(0.05, offset(1e-4));
    }

    @Test
    void zOf196IsFivePercentTwoSidedAndTwoAndAHalfPercentOneSided() {
        assertThat(StandardNormal.upperTail(1.96)).isCloseTo(0.025, offset(1e-4));
        assertThat(2 * StandardNormal.upperTail(1.96)).isCloseTo(0.05, offset(1e-4));
    }

    @Test
    void tailsMatchReferenceValuesToSevenDigits() {
        // reference values from scipy.stats.norm
        assertThat(StandardNormal.upperTail(1.6449)).isCloseTo(0.04999521746834631, offset(1e-7));
        assertThat(StandardNormal.upperTail(3.0)).isCloseTo(0.0013498980316300933, offset(1e-7));
        assertThat(StandardNormal.cdf(-2.5)).isCloseTo(0.006209665325776132, offset(1e-7));
        assertThat(StandardNormal.cdf(0)).isCloseTo(0.5, offset(1e-7));
    }

    @Test
    void theCdfAndTheUpperTailAddUpToOne() {
        for (double z = -8; z <= 8; z += 0.25) {
            assertThat(StandardNormal.cdf(z) + StandardNormal.upperTail(z)).isCloseTo(1.0, offset(1e-12));
            assertThat(StandardNormal.cdf(z)).isBetween(0.0, 1.0);
        }
    }
}
