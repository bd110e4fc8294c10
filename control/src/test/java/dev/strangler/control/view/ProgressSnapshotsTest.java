package dev.strangler.control.view;

import dev.strangler.control.testing.TestClock;
import dev.strangler.store.ProgressSnapshot;
import dev.strangler.store.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress line: the leader keeps one snapshot per interval, counted from the latest stored. */
class ProgressSnapshotsTest {
    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    private final TestClock clock = new TestClock(T0);
    private final StateStore store = StateStore.open("jdbc:h2:mem:progress-" + System.nanoTime());
    private final AtomicBoolean leading = new AtomicBoolean(true);
    private final ProgressSnapshots snapshots = new ProgressSnapshots(
            () -> List.of(new ProgressSnapshot(clock.instant(), "live", 1, 10, 100, 1000),
                    new ProgressSnapshot(clock.instant(), "unclaimed", 0, 5, 50, 500)),
            store, leading::get, clock, Duration.ofHours(1));

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theLeaderKeepsOneSnapshotPerIntervalAndAStandbyNone() {
        leading.set(false);
        assertThat(snapshots.look()).isFalse();
        assertThat(store.latestProgress()).isEmpty();

        leading.set(true);
        assertThat(snapshots.look()).isTrue();
        clock.advance(Duration.ofMinutes(59));
        assertThat(snapshots.look()).as("within the hour").isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(snapshots.look()).isTrue();

        assertThat(store.progress(T0)).extracting(ProgressSnapshot::takenAt).containsExactly(T0, T0,
                T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(1)));
    }

    @Test
    void aNewLeaderGoesOnFromTheLatestStoredSnapshotInsteadOfTakingAnExtraOne() {
        assertThat(snapshots.look()).isTrue();
        ProgressSnapshots afterRestart = new ProgressSnapshots(() -> List.of(new ProgressSnapshot(clock.instant(), "live", 1, 1, 1, 1)),
                store, () -> true, clock, Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(10));
        assertThat(afterRestart.look()).isFalse();
    }

    @Test
    void aStoreThatCannotBeWrittenIsToldAboutInTheLogAndTriedAgainLater() {
        store.close();
        assertThat(snapshots.look()).isFalse(); // does not throw into the scheduler, which would stop it
    }
}
