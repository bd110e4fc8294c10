package dev.strangler.store;

import org.junit.jupiter.api.Test;

import static dev.strangler.store.Fixtures.latencies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SideCountsTest {

    @Test
    void aSampleLargerThanTheLimitIsRefusedSoCallersSample() {
        assertThatThrownBy(() -> new SideCounts(2000, 0, latencies(SideCounts.SAMPLE_LIMIT + 1, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1001 values (expected: at most 1000");
    }

    @Test
    void sideCountsAreValuesEqualByContentAndUnaffectedByTheCallersArray() {
        double[] sample = {1, 2};
        SideCounts counts = new SideCounts(2, 0, sample);
        sample[0] = 99;
        counts.latenciesMillis()[1] = 99;

        assertThat(counts).isEqualTo(new SideCounts(2, 0, new double[] {1, 2}));
        assertThat(counts.hashCode()).isEqualTo(new SideCounts(2, 0, new double[] {1, 2}).hashCode());
    }

    @Test
    void addingKeepsTheFirstValuesUpToTheLimit() {
        SideCounts sum = new SideCounts(600, 1, latencies(600, 0)).plus(new SideCounts(600, 2, latencies(600, 600)));

        assertThat(sum.requests()).isEqualTo(1200);
        assertThat(sum.errors()).isEqualTo(3);
        assertThat(sum.latenciesMillis()).hasSize(SideCounts.SAMPLE_LIMIT).endsWith(998, 999);
    }
}
