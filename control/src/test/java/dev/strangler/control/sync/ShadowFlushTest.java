package dev.strangler.control.sync;

import dev.strangler.control.testing.TestClock;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.shadow.ShadowKey;
import dev.strangler.core.shadow.ShadowOptions;
import dev.strangler.core.shadow.ShadowResults;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoredShadowResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowFlushTest {
    private static final ShadowKey OLD = new ShadowKey("posts", "svc", "d1");
    private static final ShadowKey NEW = new ShadowKey("posts", "svc2", "d2");

    private final StateStore store = StateStore.open("jdbc:h2:mem:shadow-flush-" + System.nanoTime());
    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
    private final ShadowFlush flush = new ShadowFlush(results, store, "gw-1", clock);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aKeyIsWrittenWhenItsCountsMovedAndKeepsTheTimeOfItsLastChange() {
        results.recordComparison(OLD, DiffResult.MATCH);
        flush.flush();
        Instant written = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        flush.flush(); // nothing moved: the row keeps its time

        StoredShadowResult row = store.shadowResults("posts").getFirst();
        assertThat(row.updatedAt()).isEqualTo(written);
        assertThat(row.firstSeen()).isEqualTo(written);

        results.recordComparison(OLD, DiffResult.MATCH);
        flush.flush();
        row = store.shadowResults("posts").getFirst();
        assertThat(row.comparisons()).isEqualTo(2);
        assertThat(row.updatedAt()).isEqualTo(clock.instant());
        assertThat(row.firstSeen()).isEqualTo(written);
    }

    @Test
    void resultsAgainstAServiceTheRouteLeftAgeOutOfTheStoreAndOfMemoryAfterTheRetention() {
        results.recordComparison(OLD, DiffResult.MATCH);
        flush.flush();
        clock.advance(ShadowFlush.RETENTION.minusHours(2));
        results.recordComparison(NEW, DiffResult.MATCH);
        flush.flush();
        clock.advance(Duration.ofHours(3)); // OLD last changed more than the retention ago, NEW 3 hours ago
        results.recordComparison(NEW, DiffResult.MATCH);
        flush.flush();

        assertThat(store.shadowResults("posts")).extracting(StoredShadowResult::service).containsExactly("svc2");
        assertThat(results.snapshot(OLD)).isEmpty();
        assertThat(results.snapshot(NEW).orElseThrow().comparisons()).isEqualTo(2);
    }
}
