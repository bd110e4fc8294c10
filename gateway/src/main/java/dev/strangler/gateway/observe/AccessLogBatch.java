package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.Redactor;
import org.slf4j.Logger;

/**
 * The access-log writer's lines gathered into one Logback message of several lines, handed on when it
 * reaches {@link #MAX_CHARS} or when the writer has emptied its queue. Used by the writer thread alone.
 *
 * <p>A message known to be ASCII is published in {@link #asciiBeingLogged} while Logback handles it, so
 * that an encoder can turn it into bytes without looking at each character again
 * ({@link AccessLog#isKnownAscii}). It is compared by identity: any other string, or this one after the
 * call, is unknown, so an encoder that runs later or elsewhere (an AsyncAppender) checks as before.
 */
final class AccessLogBatch {
    static final int MAX_CHARS = 64 * 1024;

    private static volatile String asciiBeingLogged;

    private final Logger log;
    private final Redactor redactor;
    private final StringBuilder lines = new StringBuilder(MAX_CHARS + 1024);
    private boolean ascii = true;

    AccessLogBatch(Logger log, Redactor redactor) {
        this.log = log;
        this.redactor = redactor;
    }

    void add(Outcome o, long epochMillis) {
        if (!lines.isEmpty()) lines.append('\n');
        ascii &= AccessLog.line(lines, o, epochMillis, redactor);
        if (lines.length() >= MAX_CHARS) flush();
    }

    /** Logs the lines added since the last flush, if any. */
    void flush() {
        if (lines.isEmpty()) return;
        String message = lines.toString();
        if (ascii) asciiBeingLogged = message;
        log.info(message);
        if (ascii) asciiBeingLogged = null;
        lines.setLength(0);
        ascii = true;
    }

    static boolean isBeingLoggedAsAscii(String message) {
        return message == asciiBeingLogged;
    }
}
