package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.Redactor;
import org.slf4j.Logger;

/**
 * The access-log writer's lines gathered into one Logback message of several lines, handed on when it
 * reaches {@link #MAX_CHARS} or when the writer has emptied its queue. Used by the writer thread alone.
 */
final class AccessLogBatch {
    static final int MAX_CHARS = 64 * 1024;

    private final Logger log;
    private final Redactor redactor;
    private final StringBuilder lines = new StringBuilder(MAX_CHARS + 1024);

    AccessLogBatch(Logger log, Redactor redactor) {
        this.log = log;
        this.redactor = redactor;
    }

    void add(Outcome o, long epochMillis) {
        if (!lines.isEmpty()) lines.append('\n');
        AccessLog.line(lines, o, epochMillis, redactor);
        if (lines.length() >= MAX_CHARS) flush();
    }

    /** Logs the lines added since the last flush, if any. */
    void flush() {
        if (lines.isEmpty()) return;
        log.info(lines.toString());
        lines.setLength(0);
    }
}
