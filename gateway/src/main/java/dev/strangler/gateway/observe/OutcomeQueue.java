package dev.strangler.gateway.observe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outcomes waiting for the access log's writer, with the wall-clock time each was reported at: a
 * bounded ring that several event loops offer to and one writer thread polls, allocating nothing per
 * entry (a linked queue allocated a node and a pair per request, garbage that young collections then
 * paid for under load). An offer copies what the line needs out of the outcome into the ring's slot
 * ({@link OutcomeCopies}) rather than keeping the outcome: the waiting lines keep nothing of their
 * requests alive, so a young collection under load does not copy them (issue 14).
 *
 * <p>The design is the one of JCTools' {@code MpscArrayQueue}, without its padding. Producers claim
 * the next position with a compare-and-set of {@link #claimed}, refusing it when {@link #capacity}
 * positions are claimed and not yet polled; then they copy the outcome and its time into the position's
 * slot and publish it with a release store of the slot's flag in {@link #published}. The writer reads the
 * flag with an acquire load: {@link #EMPTY} means nothing was published there yet. When the position is claimed, a
 * producer is between its claim and its store, a copy of a few fields, and the writer waits for it as a
 * linked queue's reader would see its node: entries come out in the order they were claimed, and every
 * offer that returned before a drain began is taken by it (so closing the access log writes all that was
 * accepted). The writer reads the slot (formats its line), clears the flag and then advances
 * {@link #polled} with a release store, which is what lets a producer reuse the slot: a producer that
 * sees the advance also sees the writer done with the slot, so it never overwrites a line being read.
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

    private static final int EMPTY = 0;
    private static final int LINE = 1;
    private static final int SKIPPED = 2;

    private final int capacity;
    private final int mask;
    private final OutcomeCopies copies;
    /** Per slot, {@link #LINE} or {@link #SKIPPED} from the producer's copy until the writer has read it, else {@link #EMPTY}. */
    private final AtomicIntegerArray published;
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
        this.copies = new OutcomeCopies(capacity);
        this.published = new AtomicIntegerArray(capacity);
    }

    /**
     * Queues {@code o} and returns how many entries wait with it, itself included (read as the claim was
     * made: the writer may have taken some since), or 0, queuing nothing, when {@link #capacity} entries
     * wait already. The count is what lets a producer wake the writer every so many entries
     * ({@link AccessLog}) without reading the queue again. Never blocks; allocates nothing once the
     * slot's text array has grown to the line's text ({@link OutcomeCopies}).
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
        int state = SKIPPED;
        try {
            copies.copy(slot, o, millis);
            state = LINE;
        } finally { // an outcome that cannot be copied (a null string) is passed over; the writer must not wait for it
            published.setRelease(slot, state);
        }
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

    /**
     * What the writer is given for each entry it drains: the copy of the outcome in {@code slot} of
     * {@code copies}, to be read within the call (the slot is reused after it).
     */
    @FunctionalInterface
    interface Taker {
        void take(OutcomeCopies copies, int slot);
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
            int state = published.getAcquire(slot);
            if (state == EMPTY) {
                if (position == claimed.get()) break;
                // Claimed, not yet published: the producer is a few instructions from its store, unless
                // it was descheduled there. On a gateway pinned to one core it then waits for this
                // thread to give up the core, so yield rather than spin out a time slice.
                Thread.yield();
                continue;
            }
            try {
                if (state == LINE) taker.take(copies, slot);
            } finally { // a taker that throws loses its line, not the queue
                copies.release(slot);
                published.setPlain(slot, EMPTY);
                POLLED.setRelease(this, ++position);
            }
        }
        return (int) (position - first);
    }
}
