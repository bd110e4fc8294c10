package dev.strangler.bench.openloop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void requestsAreIntendedAtEvenIntervalsFromTheStart() {
        var schedule = Schedule.of(1_000, 4_000, 0, 1);

        assertThat(schedule.intendedNanos(0)).isEqualTo(1_000);
        assertThat(schedule.intendedNanos(1)).isEqualTo(251_000);
        assertThat(schedule.intendedNanos(4_000)).isEqualTo(1_000_001_000);
    }

    @Test
    void aRequestIsDueOnceItsIntendedTimeHasComeAndNotBefore() {
        var schedule = Schedule.of(0, 1_000, 0, 2);

        assertThat(schedule.dueAt(-1)).isZero();
        assertThat(schedule.dueAt(0)).isEqualTo(1);
        assertThat(schedule.dueAt(999_999)).isEqualTo(1);
        assertThat(schedule.dueAt(1_000_000)).isEqualTo(2);
        assertThat(schedule.dueAt(10_000_000_000L)).as("never more than the total").isEqualTo(2_000);
    }

    @Test
    void theWarmUpRequestsComeFirstAndAreNotMeasured() {
        var schedule = Schedule.of(0, 100, 2, 3);

        assertThat(schedule.total()).isEqualTo(500);
        assertThat(schedule.measuredCount()).isEqualTo(300);
        assertThat(schedule.isMeasured(199)).isFalse();
        assertThat(schedule.isMeasured(200)).isTrue();
    }
}
