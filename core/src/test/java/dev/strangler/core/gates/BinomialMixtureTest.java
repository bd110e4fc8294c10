package dev.strangler.core.gates;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BinomialMixtureTest {

    /** The mixture by brute force: likelihood ratios averaged over a fine grid of q in [0, w), then over the widths. */
    private static double numeric(long k, long n, double b) {
        double total = 0;
        for (double width : new double[] {1, 0.5, 0.25, 0.125}) {
            int steps = 200_000;
            double sum = 0;
            for (int i = 0; i < steps; i++) {
                double q = (i + 0.5) / steps * b * width;
                sum += Math.exp(k * Math.log(q / b) + (n - k) * Math.log((1 - q) / (1 - b)));
            }
            total += sum / steps / 4;
        }
        return Math.log(total);
    }

    @Test
    void theClosedFormMatchesTheMixtureComputedByBruteForceOnBothBranches() {
        assertThat(BinomialMixture.logRatioBelow(0, 600, 0.012)).isCloseTo(numeric(0, 600, 0.012), within(1e-4));
        assertThat(BinomialMixture.logRatioBelow(2, 600, 0.012)).isCloseTo(numeric(2, 600, 0.012), within(1e-4));
        assertThat(BinomialMixture.logRatioBelow(30, 600, 0.012)).isCloseTo(numeric(30, 600, 0.012), within(1e-4));
        assertThat(BinomialMixture.logRatioBelow(5, 40, 0.3)).isCloseTo(numeric(5, 40, 0.3), within(1e-4));
    }

    @Test
    void aboutFourPointThreeOverTheBoundRequestsWithoutAFailureAreEnoughAtTwoAndAHalfPercent() {
        assertThat(BinomialMixture.logRatioBelow(0, 380, 0.01)).isLessThan(Math.log(40));
        assertThat(BinomialMixture.logRatioBelow(0, 480, 0.01)).isGreaterThan(Math.log(40));
    }

    @Test
    void theLogGammaMatchesFactorials() {
        assertThat(BinomialMixture.logGamma(1)).isCloseTo(0, within(1e-12));
        assertThat(BinomialMixture.logGamma(11)).isCloseTo(Math.log(3628800), within(1e-10));
        assertThat(BinomialMixture.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-12));
    }

    @Test
    void aServiceFailingExactlyAtTheBoundPassesInAtMostAlphaOfRunsLookingAfterEveryRequestBatch() {
        Random random = new Random(5);
        int passed = 0;
        for (int run = 0; run < 1000; run++) {
            long k = 0, n = 0;
            for (int look = 0; look < 100; look++) {
                for (int i = 0; i < 20; i++) if (random.nextDouble() < 0.012) k++;
                n += 20;
                if (BinomialMixture.logRatioBelow(k, n, 0.012) >= Math.log(40)) {
                    passed++;
                    break;
                }
            }
        }
        assertThat(passed).isLessThanOrEqualTo(25 + 15);
    }

    @Test
    void theLowerTailIsTheSumOfTheBinomialProbabilities() {
        for (long n : new long[] {1, 7, 40, 545}) {
            for (double p : new double[] {0.0116, 0.3, 0.9}) {
                double sum = 0;
                for (long k = 0; k <= n; k++) {
                    sum += Math.exp(BinomialMixture.logGamma(n + 1.0) - BinomialMixture.logGamma(k + 1.0)
                            - BinomialMixture.logGamma(n - k + 1.0) + k * Math.log(p) + (n - k) * Math.log1p(-p));
                    assertThat(BinomialMixture.lowerTail(k, n, p)).as("P(X <= %d), n=%d, p=%s", k, n, p)
                            .isCloseTo(Math.min(1, sum), within(1e-9));
                }
            }
        }
    }

    @Test
    void theLowerTailAtTheEdges() {
        assertThat(BinomialMixture.lowerTail(0, 545, 0.0116)).isCloseTo(Math.pow(1 - 0.0116, 545), within(1e-12));
        assertThat(BinomialMixture.lowerTail(3, 3, 0.5)).isEqualTo(1);
        assertThat(BinomialMixture.lowerTail(0, 10, 0)).isEqualTo(1);
        assertThat(BinomialMixture.lowerTail(9, 10, 1)).isEqualTo(0);
        assertThat(BinomialMixture.lowerTail(10, 1_000_000, 0.0001)) // far in the tail of a large n: 1.1331e-30
                .isCloseTo(1.1331e-30, org.assertj.core.api.Assertions.withinPercentage(0.1));
    }
}
