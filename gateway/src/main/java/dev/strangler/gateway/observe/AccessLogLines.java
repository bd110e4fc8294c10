package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.Redactor;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A batch of access-log lines, separated by {@code \n}, as Logback sees it: the one argument of the
 * message {@code "{}"}, so the text is its {@link #toString()} and any layout a user configures
 * writes what it wrote when the text was the message itself. The lines are formatted straight into
 * UTF-8 bytes ({@link Utf8Text}), in a buffer the writer thread reuses: an appender that knows this type
 * (cli's {@code AccessLogAppender}) writes those bytes as they are ({@link #writeUtf8}), with no copy
 * and no encoding per batch; only a layout's {@link #toString()} decodes them into a string.
 *
 * <p>The reused buffer is why it may be read only while it is being logged, on the thread that logs
 * it: after the call the next batch overwrites it. Logback reads a message's arguments within the
 * call (an appender formats the message there, and an AsyncAppender formats it before queuing the
 * event), so only a component that keeps the event's arguments to read them later would see a later
 * batch; it is told so with an {@link IllegalStateException} instead, which Logback's formatter
 * writes as {@code [FAILED toString()]}.
 */
public final class AccessLogLines {
    private final Utf8Text text = new Utf8Text(AccessLogBatch.MAX_CHARS + 1024);
    private boolean beingLogged;

    AccessLogLines() {
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    /**
     * Characters added since the last batch was logged, counted as the text's UTF-16 chars: the batch
     * bound stays where it was when the lines were a string, so a layout gets the same messages.
     */
    int length() {
        return text.charLength();
    }

    /** Adds the line of the outcome copied into {@code slot} of {@code copies}, after a {@code \n} unless it is the first. */
    void add(OutcomeCopies copies, int slot, Redactor redactor) {
        if (!text.isEmpty()) text.ascii('\n');
        copies.format(slot, text, redactor);
    }

    /** Logs the lines added so far as one message at INFO, then starts an empty batch. */
    void logTo(Logger log) {
        beingLogged = true;
        try {
            log.info("{}", this);
        } finally {
            beingLogged = false;
            text.clear();
        }
    }

    /**
     * Writes the lines in UTF-8 followed by {@code lineEnd}, in one write: the bytes of the pattern
     * {@code %msg%n} when {@code lineEnd} is the line separator.
     *
     * @throws IllegalStateException when called outside the call that logs these lines
     */
    public void writeUtf8(OutputStream out, byte[] lineEnd) throws IOException {
        int n = withLineEnd(lineEnd);
        out.write(text.array(), 0, n);
    }

    /** The bytes {@link #writeUtf8} writes, in an array of their own. */
    public byte[] toUtf8(byte[] lineEnd) {
        int n = withLineEnd(lineEnd); // before reading the array: making room may replace it
        return Arrays.copyOf(text.array(), n);
    }

    /** The lines, separated by {@code \n}. */
    @Override
    public String toString() {
        checkBeingLogged();
        return text.toString();
    }

    /** Puts {@code lineEnd} in the buffer after the lines, outside the text; returns the length of both. */
    private int withLineEnd(byte[] lineEnd) {
        checkBeingLogged();
        byte[] buffer = text.arrayWithRoomAfter(lineEnd.length);
        System.arraycopy(lineEnd, 0, buffer, text.length(), lineEnd.length);
        return text.length() + lineEnd.length;
    }

    private void checkBeingLogged() {
        if (!beingLogged) {
            throw new IllegalStateException("access log lines read after the call that logged them returned: "
                    + "their buffers hold another batch by now (keep the formatted message, not the argument)");
        }
    }
}
