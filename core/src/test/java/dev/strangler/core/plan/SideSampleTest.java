package dev.strangler.core.plan;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A side's sample cannot be changed from outside, whether it was given, read back, or built value by value. */
class SideSampleTest {

    @Test
    void anArrayGivenToTheConstructorIsCopied() {
        double[] given = {1.0, 2.0};
        SideSample side = new SideSample(2, 0, given);
        given[0] = 99.0;

        assertThat(side.latenciesMillis()).containsExactly(1.0, 2.0);
    }

    @Test
    void theSampleReadBackIsACopy() {
        SideSample side = new SideSample(2, 0, new double[] {1.0, 2.0});
        side.latenciesMillis()[0] = 99.0;

        assertThat(side.latencyMillis(0)).isEqualTo(1.0);
    }

    @Test
    void aBuiltSampleHoldsTheValuesAddedAndEqualsOneGivenWhole() {
        SideSample built = new SideSample.Builder(3).add(1.0).add(2.0).add(3.0).build(5, 1, 1);

        assertThat(built).isEqualTo(new SideSample(5, 1, 1, new double[] {1.0, 2.0, 3.0}));
        assertThat(built.hashCode()).isEqualTo(new SideSample(5, 1, 1, new double[] {1.0, 2.0, 3.0}).hashCode());
        assertThat(built.sampleSize()).isEqualTo(3);
    }

    @Test
    void aBuilderFilledBelowItsCapacityBuildsOnlyTheValuesAdded() {
        SideSample built = new SideSample.Builder(4).add(1.0).build(1, 0, 0);

        assertThat(built.latenciesMillis()).containsExactly(1.0);
    }

    /** The builder's array became the side's: a builder that took more values would change a built side. */
    @Test
    void aBuilderTakesNoValuesOnceBuilt() {
        SideSample.Builder builder = new SideSample.Builder(2).add(1.0);
        SideSample built = builder.build(1, 0, 0);

        assertThatThrownBy(() -> builder.add(2.0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already built");
        assertThatThrownBy(() -> builder.build(1, 0, 0)).isInstanceOf(IllegalStateException.class);
        assertThat(built.latenciesMillis()).containsExactly(1.0);
    }

    @Test
    void aBuilderTakesNoMoreThanItsCapacity() {
        SideSample.Builder builder = new SideSample.Builder(1).add(1.0);

        assertThatThrownBy(() -> builder.add(2.0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the sample is full: 1 values (its capacity)");
    }

    @Test
    void countsAreCheckedWhicheverWayTheSideIsMade() {
        assertThatThrownBy(() -> new SideSample(1, 2, new double[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("0 hard failures of 2 errors of 1 requests (expected: 0 <= hard failures <= errors <= requests)");
        assertThatThrownBy(() -> new SideSample.Builder(0).build(1, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
