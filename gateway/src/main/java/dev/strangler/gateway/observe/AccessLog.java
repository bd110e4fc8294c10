package dev.strangler.gateway.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One JSON line per request on the {@code strangler.access} logger. The line is written by hand
 * rather than through a JSON library: it is on the request path, its fields are fixed, and only
 * the path needs escaping. Where the line goes (stdout, a file) is the logging config's job.
 *
 * <h2>Why a writer thread of its own</h2>
 * Handing each line to Logback from the event loop (even through its AsyncAppender) wakes a
 * consumer thread per request; on a one-core proxy that cost a fifth of the throughput
 * (bench/proxy.sh, access log on versus off). Here the event loop only builds the line and puts it
 * on a lock-free queue; a single writer thread wakes every few milliseconds, takes everything
 * queued and gives it to Logback as one message of several lines, so the output sees one write per
 * batch rather than per request. A line reaches the log at most a few milliseconds late.
 * When the output cannot keep up, the queue is bounded: lines are dropped, never the event loop
 * blocked, and the number dropped is reported on the operator log.
 */
public final class AccessLog implements ExchangeObserver, AutoCloseable {
    public static final String LOGGER = "strangler.access";
    static final int MAX_QUEUED_LINES = 65_536;
    private static final int MAX_BATCH_CHARS = 64 * 1024;
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Logger OPERATOR_LOG = LoggerFactory.getLogger(AccessLog.class);

    private final Logger log;
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    public AccessLog() {
        this(LoggerFactory.getLogger(LOGGER));
    }

    AccessLog(Logger log) {
        this.log = log;
        this.writer = Thread.ofPlatform().daemon().name("strangler-access-log").start(this::writeUntilClosed);
    }

    @Override
    public void onComplete(Outcome o) {
        if (closed || !log.isInfoEnabled()) return;
        if (queued.incrementAndGet() > MAX_QUEUED_LINES) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.offer(line(o));
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

    private void writeUntilClosed() {
        // Pausing after every pass, not only when idle, is what makes the batches: a writer that went
        // straight back to the queue would take lines one by one as fast as they come.
        while (!closed) {
            writeQueued();
            LockSupport.parkNanos(PAUSE_NANOS);
        }
        writeQueued();
    }

    /** Logs everything queued right now, in batches of at most {@link #MAX_BATCH_CHARS}. */
    private void writeQueued() {
        StringBuilder batch = new StringBuilder();
        String line;
        while ((line = queue.poll()) != null) {
            queued.decrementAndGet();
            if (!batch.isEmpty()) batch.append('\n');
            batch.append(line);
            if (batch.length() >= MAX_BATCH_CHARS) {
                log.info(batch.toString());
                batch.setLength(0);
            }
        }
        if (!batch.isEmpty()) log.info(batch.toString());
        long lost = dropped.getAndSet(0);
        if (lost > 0) OPERATOR_LOG.warn("access log: {} lines dropped because the output did not keep up", lost);
    }

    static String line(Outcome o) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"request_id\":");
        string(b, o.requestId());
        b.append(",\"method\":");
        string(b, o.method());
        b.append(",\"path\":");
        string(b, o.path());
        b.append(",\"route\":");
        string(b, o.route());
        b.append(",\"stage\":\"").append(o.stage().configName()).append('"');
        b.append(",\"backend\":");
        string(b, o.backend());
        b.append(",\"status\":").append(o.status());
        b.append(",\"duration_ms\":").append(Math.round(o.durationNanos() / 10_000.0) / 100.0);
        b.append(",\"bytes_in\":").append(o.bytesIn());
        b.append(",\"bytes_out\":").append(o.bytesOut());
        if (o.fallback().isPresent()) {
            Outcome.BackendFailure f = o.fallback().get();
            b.append(",\"fallback\":true,\"fallback_from\":");
            string(b, f.backend());
            b.append(",\"fallback_cause\":\"").append(f.failure().label()).append('"');
        }
        if (o.failure().isPresent()) b.append(",\"error\":\"").append(o.failure().get().label()).append('"');
        return b.append('}').toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
