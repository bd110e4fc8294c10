package dev.strangler.gateway.observe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The outcomes waiting for the access log's writer, with the wall-clock time each was reported at: a
 * bounded ring that several event loops offer to and one writer thread polls, allocating nothing per
 * entry (a linked queue allocated a node and a pair per request, garbage that young collections then
 * paid for under load).
 *
 * <p>The design is the one of JCTools' {@code MpscArrayQueue}, without its padding. Producers claim
 * the next position with a compare-and-set of {@link #claimed}, refusing it when {@link #capacity}
 * positions are claimed and not yet polled; then they write the time and publish the outcome with a
 * release store into the position's slot. The writer reads the slot with an acquire load: null means
 * nothing was published there yet. When the position is claimed, a producer is between its claim and
 * its store, a few instructions, and the writer waits for it as a linked queue's reader would see its
 * node: entries come out in the order they were claimed, and every offer that returned before a drain
 * began is taken by it (so closing the access log writes all that was accepted). Having taken an entry it
 * empties the slot and then advances {@link #polled} with a release store, which is what lets a
 * producer reuse the slot: a producer that sees the advance also sees the slot emptied and the time
 * read.
 */
final class OutcomeQueue {
    private static final VarHandle POLLED;

    static {
        try {
            POLLED = MethodHandles.lookup().findVarHandle(OutcomeQueue.class, "polled", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final int mask;
    private final AtomicReferenceArray<Outcome> outcomes;
    private final long[] epochMillis;
    /** Positions handed to producers so far. */
    private final AtomicLong claimed = new AtomicLong();
    /** Positions the writer has taken so far; written by the writer alone, read by producers. */
    @SuppressWarnings("unused") // through POLLED
    private volatile long polled;

    /** @param capacity how many entries may wait at once; a power of two */
    OutcomeQueue(int capacity) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: a power of two)");
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.outcomes = new AtomicReferenceArray<>(capacity);
        this.epochMillis = new long[capacity];
    }

    /**
     * Queues {@code o} and returns how many entries wait with it, itself included (read as the claim was
     * made: the writer may have taken some since), or 0, queuing nothing, when {@link #capacity} entries
     * wait already. The count is what lets a producer wake the writer every so many entries
     * ({@link AccessLog}) without reading the queue again. Never blocks.
     */
    int offer(Outcome o, long millis) {
        long position;
        long waiting;
        do {
            position = claimed.get();
            waiting = position - (long) POLLED.getAcquire(this);
            if (waiting >= capacity) return 0;
        } while (!claimed.compareAndSet(position, position + 1));
        int slot = (int) position & mask;
        epochMillis[slot] = millis;
        outcomes.setRelease(slot, o);
        return (int) waiting + 1;
    }

    /**
     * Whether no entry is claimed beyond what the writer has taken. For the writer thread alone; a
     * volatile read of {@link #claimed}, so a writer that announced it is about to sleep before asking
     * sees any offer that missed the announcement ({@link AccessLog}).
     */
    boolean isEmpty() {
        return claimed.get() == (long) POLLED.getOpaque(this);
    }

    /** What the writer is given for each entry it drains. */
    @FunctionalInterface
    interface Taker {
        void take(Outcome o, long epochMillis);
    }

    /**
     * Gives {@code taker} every entry offered, oldest first, until it reaches a position no producer
     * has claimed; returns how many it gave. For the writer thread alone.
     */
    int drain(Taker taker) {
        long position = (long) POLLED.getOpaque(this);
        long first = position;
        while (true) {
            int slot = (int) position & mask;
            Outcome o = outcomes.getAcquire(slot);
            if (o == null) {
                if (position == claimed.get()) break;
                // Claimed, not yet published: the producer is a few instructions from its store, unless
                // it was descheduled there. On a gateway pinned to one core it then waits for this
                // thread to give up the core, so yield rather than spin out a time slice.
                Thread.yield();
                continue;
            }
            long millis = epochMillis[slot];
            outcomes.setPlain(slot, null);
            POLLED.setRelease(this, ++position);
            taker.take(o, millis);
        }
        return (int) (position - first);
    }
}
