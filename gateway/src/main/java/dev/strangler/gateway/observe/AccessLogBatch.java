package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.Redactor;
import org.slf4j.Logger;

/**
 * The access-log writer's lines gathered into one Logback message of several lines, handed on when it
 * reaches {@link #MAX_CHARS} or when the writer has emptied its queue. Used by the writer thread alone;
 * the lines are kept in {@link AccessLogLines}, as UTF-8 bytes in a buffer every batch reuses.
 */
final class AccessLogBatch {
    /**
     * Characters (UTF-16 chars, as a string of the lines counts them) from which a batch is handed on: the
     * line that reaches it is the batch's last. Its bytes are as many for ASCII lines, up to three times as
     * many otherwise.
     */
    static final int MAX_CHARS = 64 * 1024;

    private final Logger log;
    private final Redactor redactor;
    private final AccessLogLines lines = new AccessLogLines();
    /** For {@link #add(Outcome, long)}: the one slot an outcome is copied into on its way to the batch. */
    private final OutcomeCopies one = new OutcomeCopies(1);

    AccessLogBatch(Logger log, Redactor redactor) {
        this.log = log;
        this.redactor = redactor;
    }

    /** Adds the line of the outcome copied into {@code slot} of {@code copies}. */
    void add(OutcomeCopies copies, int slot) {
        lines.add(copies, slot, redactor);
        if (lines.length() >= MAX_CHARS) flush();
    }

    /** Adds the line of {@code o}, through a copy as it comes from the queue (for tests and benchmarks). */
    void add(Outcome o, long epochMillis) {
        one.copy(0, o, epochMillis);
        add(one, 0);
    }

    /** Logs the lines added since the last flush, if any. */
    void flush() {
        if (!lines.isEmpty()) lines.logTo(log);
    }
}
