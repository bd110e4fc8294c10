package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.Redactor;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A batch of access-log lines, separated by {@code \n}, as Logback sees it: the one argument of the
 * message {@code "{}"}, so the text is its {@link #toString()} and any layout a user configures
 * writes what it wrote when the text was the message itself. An appender that knows this type (cli's
 * {@code AccessLogAppender}) asks for the bytes instead ({@link #writeUtf8}) and writes them with no
 * copy made per batch: the text and its UTF-8 bytes live in buffers the writer thread reuses.
 *
 * <p>Reused buffers are why it may be read only while it is being logged, on the thread that logs
 * it: after the call the next batch overwrites them. Logback reads a message's arguments within the
 * call (an appender formats the message there, and an AsyncAppender formats it before queuing the
 * event), so only a component that keeps the event's arguments to read them later would see a later
 * batch; it is told so with an {@link IllegalStateException} instead, which Logback's formatter
 * writes as {@code [FAILED toString()]}.
 */
public final class AccessLogLines {
    private final StringBuilder text = new StringBuilder(AccessLogBatch.MAX_CHARS + 1024);
    /** Whether every character of {@link #text} is ASCII: then its UTF-8 takes a byte a character. */
    private boolean ascii = true;
    private boolean beingLogged;

    // The UTF-8 form, made on the first request for it during a log call.
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
            // what String.getBytes(UTF_8), and so a pattern layout, writes for a lone surrogate: '?'
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private char[] chars = new char[0];
    private byte[] bytes = new byte[0];
    private int byteCount = -1;

    AccessLogLines() {
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    /** Characters added since the last batch was logged. */
    int length() {
        return text.length();
    }

    /** Adds the line of {@code o}, after a {@code \n} unless it is the first. */
    void add(Outcome o, long epochMillis, Redactor redactor) {
        if (!text.isEmpty()) text.append('\n');
        ascii &= AccessLog.line(text, o, epochMillis, redactor);
    }

    /** Logs the lines added so far as one message at INFO, then starts an empty batch. */
    void logTo(Logger log) {
        beingLogged = true;
        try {
            log.info("{}", this);
        } finally {
            beingLogged = false;
            text.setLength(0);
            ascii = true;
            byteCount = -1;
        }
    }

    /**
     * Writes the lines in UTF-8 followed by {@code lineEnd}, in one write: the bytes of the pattern
     * {@code %msg%n} when {@code lineEnd} is the line separator.
     *
     * @throws IllegalStateException when called outside the call that logs these lines
     */
    public void writeUtf8(OutputStream out, byte[] lineEnd) throws IOException {
        int n = encode(lineEnd);
        out.write(bytes, 0, n);
    }

    /** The bytes {@link #writeUtf8} writes, in an array of their own. */
    public byte[] toUtf8(byte[] lineEnd) {
        int n = encode(lineEnd); // before reading bytes: encoding may replace the array
        return Arrays.copyOf(bytes, n);
    }

    /** The lines, separated by {@code \n}. */
    @Override
    public String toString() {
        checkBeingLogged();
        return text.toString();
    }

    /** Encodes the text into {@link #bytes} (once per batch) and puts {@code lineEnd} after it; returns the length. */
    private int encode(byte[] lineEnd) {
        checkBeingLogged();
        int n = text.length();
        if (byteCount < 0) {
            if (chars.length < n) chars = new char[n + 1024];
            text.getChars(0, n, chars, 0);
            int most = ascii ? n : n * 3; // UTF-8 writes at most three bytes per UTF-16 char
            if (bytes.length < most + lineEnd.length) bytes = new byte[most + lineEnd.length + 1024];
            ByteBuffer out = ByteBuffer.wrap(bytes);
            utf8.reset();
            CoderResult result = utf8.encode(CharBuffer.wrap(chars, 0, n), out, true);
            if (!result.isUnderflow()) throw new IllegalStateException("UTF-8 of the access log lines: " + result);
            utf8.flush(out);
            byteCount = out.position();
        }
        if (bytes.length < byteCount + lineEnd.length) bytes = Arrays.copyOf(bytes, byteCount + lineEnd.length);
        System.arraycopy(lineEnd, 0, bytes, byteCount, lineEnd.length);
        return byteCount + lineEnd.length;
    }

    private void checkBeingLogged() {
        if (!beingLogged) {
            throw new IllegalStateException("access log lines read after the call that logged them returned: "
                    + "their buffers hold another batch by now (keep the formatted message, not the argument)");
        }
    }
}
