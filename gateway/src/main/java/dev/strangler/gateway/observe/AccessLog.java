package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One JSON line per request on the {@code strangler.access} logger. The line is written by hand
 * rather than through a JSON library: its fields are fixed and only the strings need escaping. It is
 * written straight into the UTF-8 bytes that reach the output ({@link Utf8Text}), with no string and
 * no encoding step between. Where the line goes (stdout, a file) is the logging config's job.
 *
 * <p>Fields, in order: {@code time} (RFC 3339, UTC, milliseconds: when the exchange ended),
 * {@code request_id}, {@code method}, {@code path}, {@code query} (when there is one; values of
 * parameters named like secrets replaced by {@link Redactor#REDACTED}), {@code route}, {@code stage},
 * {@code backend} (who answered), {@code status}, {@code duration_ms}, {@code bytes_in},
 * {@code bytes_out}, {@code client}, {@code user_agent} (when sent), {@code upstream_connect_ms} and
 * {@code upstream_response_ms} (from the answering attempt's start to its connection and to the
 * response head, when known), then {@code fallback*} and {@code error} when they apply.
 *
 * <h2>Why a writer thread of its own</h2>
 * Handing each line to Logback from the event loop (even through its AsyncAppender) wakes a
 * consumer thread per request; on a one-core proxy that cost a fifth of the throughput
 * (bench/proxy.sh, access log on versus off). Here the event loop only reads the clock and copies the
 * outcome's fields onto a bounded lock-free queue that allocates nothing per entry and keeps nothing of
 * the request alive ({@link OutcomeQueue}, {@link OutcomeCopies});
 * building the line (formatting the time, redacting the query, escaping, encoding) is the writer's work. A
 * single writer takes everything queued and gives it to Logback as messages of many lines, so the
 * output sees one write per batch rather than per request. Lines come out in the order the requests
 * completed on each event loop. When the output cannot keep up, the queue is bounded: lines are
 * dropped, never the event loop blocked, and the number dropped is reported on the operator log.
 *
 * <h2>When the writer wakes, and how late a line can be</h2>
 * On a gateway pinned to one core every wake-up of the writer preempts the event loop at once, so
 * the writer wakes as seldom as its bounds allow rather than on a short fixed beat (it woke every
 * 5 ms, 200 times a second, idle or not: bench/wakeups.sh):
 * <ul>
 *   <li><b>Time bound:</b> a line is handed to Logback at most {@link #MAX_DELAY} ({@value
 *       #MAX_DELAY_MILLIS} ms) after its request completed, plus the time the writer takes for the
 *       batch before it (and, on a saturated core, until the scheduler runs it). While lines come,
 *       the writer wakes once per {@code MAX_DELAY}.</li>
 *   <li><b>Size bound:</b> an event loop whose offer leaves a multiple of {@link #WAKE_AT_LINES}
 *       lines waiting wakes the writer early, so under load a batch holds about that many lines.</li>
 *   <li><b>Idle:</b> after a {@code MAX_DELAY} in which no line came, the writer sleeps until the
 *       next line, which wakes it; then it waits {@code MAX_DELAY} to gather the lines that follow.
 *       So an idle gateway's writer does not wake at all.</li>
 *   <li><b>Close</b> writes everything accepted before it, at once.</li>
 * </ul>
 * The event loop's extra cost is a read of a volatile flag per line, and an unpark every
 * {@code WAKE_AT_LINES} lines or after an idle pause.
 */
public final class AccessLog implements ExchangeObserver, AutoCloseable {
    public static final String LOGGER = "strangler.access";
    /**
     * Lines that may wait for the writer; more are dropped (and counted). Each is a slot of the queue's
     * copies, made once and kept ({@link OutcomeCopies}): about 370 bytes for a line of 128 chars of text,
     * 1.1 KB for up to 512 (a browser's user agent, a path and a query), so 6–18 MB in all. At 40,000 lines/s
     * that is 0.4 s of an output that stalls (65,536 outcomes before the copies: the same memory held only
     * while they waited, but each a survivor of young collections).
     */
    static final int MAX_QUEUED_LINES = 16_384;
    static final long MAX_DELAY_MILLIS = 100;
    /** How late a line may reach Logback (after its request completed) while the writer gathers a batch. */
    public static final Duration MAX_DELAY = Duration.ofMillis(MAX_DELAY_MILLIS);
    /**
     * Lines waiting at which an event loop wakes the writer before {@link #MAX_DELAY}: about three of
     * {@link AccessLogBatch}'s 64 KB messages at 330-byte lines, and at 40,000 requests/s a wake-up
     * every 13 ms. A power of two.
     */
    static final int WAKE_AT_LINES = 512;
    private static final Logger OPERATOR_LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final VarHandle IDLE;

    static {
        try {
            IDLE = MethodHandles.lookup().findVarHandle(AccessLog.class, "idle", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final Logger log;
    private final long maxDelayNanos;
    private final int wakeAtMask;
    private final OutcomeQueue queue = new OutcomeQueue(MAX_QUEUED_LINES);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;
    /**
     * Whether the writer sleeps with no time bound, until the next line. Set by the writer before its
     * last look at the queue, cleared by the one producer that wakes it: as both are volatile (the
     * producer's claim and this flag, the writer's flag and its read of the claims), either the writer
     * sees the line or the producer sees the flag.
     */
    @SuppressWarnings("unused") // through IDLE
    private volatile boolean idle;
    /** The writer thread's own, kept between passes so it is not grown again from empty on each. */
    private final AccessLogBatch batch;
    /** The writer's way from the queue into {@link #batch}, made once rather than per pass. */
    private final OutcomeQueue.Taker toBatch;

    /** @param redactor names the query parameters whose values are not logged */
    public AccessLog(Redactor redactor) {
        this(LoggerFactory.getLogger(LOGGER), redactor, MAX_DELAY, WAKE_AT_LINES);
    }

    AccessLog(Logger log, Redactor redactor) {
        this(log, redactor, MAX_DELAY, WAKE_AT_LINES);
    }

    /** With other bounds than {@link #MAX_DELAY} and {@link #WAKE_AT_LINES}, for tests. */
    AccessLog(Logger log, Redactor redactor, Duration maxDelay, int wakeAtLines) {
        if (maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException("maxDelay: " + maxDelay + " (expected: > 0)");
        }
        if (wakeAtLines <= 0 || Integer.bitCount(wakeAtLines) != 1) {
            throw new IllegalArgumentException("wakeAtLines: " + wakeAtLines + " (expected: a power of two)");
        }
        this.log = log;
        this.maxDelayNanos = maxDelay.toNanos();
        this.wakeAtMask = wakeAtLines - 1;
        this.batch = new AccessLogBatch(log, Objects.requireNonNull(redactor, "redactor"));
        this.toBatch = batch::add;
        this.writer = Thread.ofPlatform().daemon().name("strangler-access-log").start(this::writeUntilClosed);
    }

    @Override
    public Set<Extra> reads() {
        return Set.of(Extra.DETAILS);
    }

    @Override
    public void onComplete(Outcome o) {
        if (closed || !log.isInfoEnabled()) return;
        int waiting = queue.offer(o, System.currentTimeMillis());
        if (waiting == 0) {
            dropped.incrementAndGet();
        } else if ((waiting & wakeAtMask) == 0 || (idle && IDLE.compareAndSet(this, true, false))) {
            LockSupport.unpark(writer);
        }
    }

    /** Writes what is queued and stops the writer; lines completed after this are not logged. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the writer sleeps until the next line (for tests: an idle writer must be woken by it). */
    boolean isIdle() {
        return idle;
    }

    private void writeUntilClosed() {
        // Gathering for MAX_DELAY after every pass, not only when idle, is what makes the batches: a
        // writer that went straight back to the queue would take lines one by one as fast as they come.
        while (!closed) {
            awaitLinesOrTime(maxDelayNanos);
            if (writeQueued() == 0) awaitFirstLine();
        }
        writeQueued();
    }

    /** Sleeps {@code nanos}, less when {@link #WAKE_AT_LINES} lines wait or on close (or spuriously). */
    private void awaitLinesOrTime(long nanos) {
        LockSupport.parkNanos(this, nanos);
    }

    /** Sleeps until a line is queued or the log is closed. */
    private void awaitFirstLine() {
        while (!closed && queue.isEmpty()) {
            idle = true;
            if (!closed && queue.isEmpty()) LockSupport.park(this);
            idle = false;
        }
    }

    /** Logs everything queued right now, in batches of about {@link AccessLogBatch#MAX_CHARS}; returns the lines taken. */
    private int writeQueued() {
        int taken = queue.drain(toBatch);
        batch.flush();
        long lost = dropped.getAndSet(0);
        if (lost > 0) OPERATOR_LOG.warn("access log: {} lines dropped because the output did not keep up", lost);
        return taken;
    }

    /** The line of {@code o}, decoded from its bytes: for tests, the writer appends to its batch. */
    static String line(Outcome o, long epochMillis, Redactor redactor) {
        Utf8Text b = new Utf8Text(384);
        line(b, o, epochMillis, redactor);
        return b.toString();
    }

    /** Appends the line of {@code o} to {@code b} in UTF-8, as the writer makes it from the outcome's copy in its queue (for tests). */
    static void line(Utf8Text b, Outcome o, long epochMillis, Redactor redactor) {
        OutcomeCopies copy = new OutcomeCopies(1);
        copy.copy(0, o, epochMillis);
        copy.format(0, b, redactor);
    }

    /**
     * The second last formatted, and its text up to the seconds: lines come in time order, so most
     * lines reuse it and only append their milliseconds instead of running a DateTimeFormatter each
     * (bench/jmh AccessLogBenchmark). Immutable, so sharing it between threads needs no lock: a
     * thread that sees an older one formats its own.
     */
    private record FormattedSecond(long epochSecond, String text) {
    }

    private static volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, "");

    /** {@code epochMillis} as RFC 3339 in UTC with milliseconds: {@code 2026-11-30T18:30:06.007Z}. */
    static void time(Utf8Text b, long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        FormattedSecond cached = lastSecond;
        if (cached.epochSecond() != second) {
            cached = new FormattedSecond(second, TIME.format(Instant.ofEpochSecond(second)));
            lastSecond = cached;
        }
        b.ascii(cached.text()).ascii('.');
        if (millis < 100) b.ascii('0');
        if (millis < 10) b.ascii('0');
        b.decimal(millis).ascii('Z');
    }

    /**
     * Below this the milliseconds round to less than 10^7, which {@link Double#toString} prints without an
     * exponent (a duration of 2 h 46 min).
     */
    private static final long PLAIN_MILLIS_LIMIT_NANOS = 9_999_999_995_000L;

    /**
     * Milliseconds rounded to two decimals, printed as the double {@code Math.round(nanos / 10_000.0) / 100.0}
     * prints (1.53, 1.2, 12.0, 0.07) but from integers, without a double's shortest-decimal search. Under
     * {@link #PLAIN_MILLIS_LIMIT_NANOS} both are exact: the quotient's rounding error is far below the
     * 1/10_000 that separates it from a half, and the shortest decimal of {@code hundredths / 100.0} is
     * {@code hundredths / 100} itself. Above it and below zero, where the double prints an exponent or a
     * sign, the double is printed.
     */
    static void millis(Utf8Text b, long nanos) {
        if (nanos < 0 || nanos >= PLAIN_MILLIS_LIMIT_NANOS) {
            b.ascii(Double.toString(Math.round(nanos / 10_000.0) / 100.0));
            return;
        }
        long hundredths = (nanos + 5_000) / 10_000;
        int fraction = (int) (hundredths % 100);
        b.decimal(hundredths / 100).ascii('.');
        if (fraction % 10 == 0) {
            b.decimal(fraction / 10);
        } else {
            if (fraction < 10) b.ascii('0');
            b.decimal(fraction);
        }
    }
}
