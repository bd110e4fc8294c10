package dev.strangler.gateway.proxy;

import org.junit.jupiter.api.Test;

import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The pause rule of {@link PauseTimer} on a clock the test moves: no waiting, no real timers. */
class PauseTimerTest {
    private static final long TIMEOUT_MS = 300;

    /** Timers that fire when the test moves the clock past them, in order. */
    private static final class FakeTimers implements PauseTimer.Timers {
        long now;
        long nextId;
        final TreeMap<Long, Runnable> due = new TreeMap<>(); // due time (nanos) * 1000 + id -> task
        int scheduled;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public long schedule(long delayMillis, Runnable task) {
            scheduled++;
            long id = nextId++;
            due.put((now + TimeUnit.MILLISECONDS.toNanos(delayMillis)) * 1000 + id, task);
            return id;
        }

        @Override
        public void cancel(long id) {
            due.keySet().removeIf(k -> k % 1000 == id);
        }

        void advanceMillis(long ms) {
            long until = now + TimeUnit.MILLISECONDS.toNanos(ms);
            while (!due.isEmpty() && due.firstKey() / 1000 <= until) {
                var next = due.pollFirstEntry();
                now = next.getKey() / 1000;
                next.getValue().run();
            }
            now = until;
        }
    }

    private final FakeTimers timers = new FakeTimers();
    private final AtomicInteger pauses = new AtomicInteger();

    private PauseTimer started(AtomicBoolean readerHolds) {
        return new PauseTimer(timers, TIMEOUT_MS, readerHolds::get, pauses::incrementAndGet).start();
    }

    @Test
    void aBodyWithNoPartForTheTimeoutTimesOutOnce() {
        PauseTimer t = started(new AtomicBoolean());
        timers.advanceMillis(TIMEOUT_MS - 1);
        assertThat(pauses).hasValue(0);
        timers.advanceMillis(1);
        assertThat(pauses).hasValue(1);
        assertThat(t.timedOut()).isTrue();
        timers.advanceMillis(10 * TIMEOUT_MS);
        assertThat(pauses).as("once").hasValue(1);
    }

    @Test
    void partsEachWithinTheTimeoutKeepItAliveHoweverLongTheBodyTakes() {
        PauseTimer t = started(new AtomicBoolean());
        for (int i = 0; i < 1_000; i++) { // a part every 10 ms for 10 s: 33 timeouts in all
            timers.advanceMillis(10);
            t.partArrived();
        }
        assertThat(pauses).hasValue(0);
        // About one timer per timeout period, not one per part.
        assertThat(timers.scheduled).as("re-armed for the time left, not per part").isLessThanOrEqualTo(2 * 10_000 / (int) TIMEOUT_MS + 1);
        timers.advanceMillis(TIMEOUT_MS);
        assertThat(pauses).as("then a real pause").hasValue(1);
    }

    @Test
    void whileTheReaderHoldsTheBodyUpTheBackendIsNotPausing() {
        AtomicBoolean readerHolds = new AtomicBoolean(true);
        PauseTimer t = started(readerHolds);
        timers.advanceMillis(10 * TIMEOUT_MS);
        assertThat(pauses).hasValue(0);
        readerHolds.set(false); // the client drained; no part comes after that
        timers.advanceMillis(TIMEOUT_MS);
        assertThat(pauses).hasValue(1);
        assertThat(t.timedOut()).isTrue();
    }

    @Test
    void aStoppedTimerNeverFiresAndLeavesNoTimerBehind() {
        PauseTimer t = started(new AtomicBoolean());
        timers.advanceMillis(TIMEOUT_MS / 2);
        t.stop();
        assertThat(timers.due).isEmpty();
        timers.advanceMillis(10 * TIMEOUT_MS);
        assertThat(pauses).hasValue(0);
        assertThat(t.timedOut()).isFalse();
    }
}
