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

    AccessLogBatch(Logger log, Redactor redactor) {
        this.log = log;
        this.redactor = redactor;
    }

    void add(Outcome o, long epochMillis) {
        lines.add(o, epochMillis, redactor);
        if (lines.length() >= MAX_CHARS) flush();
    }

    /** Logs the lines added since the last flush, if any. */
    void flush() {
        if (!lines.isEmpty()) lines.logTo(log);
    }
}
