package dev.strangler.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.ConsoleTarget;
import ch.qos.logback.core.status.ErrorStatus;
import dev.strangler.gateway.observe.AccessLogLines;

import java.io.IOException;
import java.util.Optional;

/**
 * The access log's appender (logback.xml, {@code ACCESS_STDOUT}): writes to stdout, unless given
 * another stream, what the pattern {@code %msg%n} writes, without copying the lines. The gateway's
 * access log logs a batch of lines as the one {@link AccessLogLines} argument of {@code "{}"}; this
 * writes the batch's UTF-8 bytes and a line separator from the batch's own buffer in one write, where a
 * pattern layout made a string of each batch, then a buffer, then an array of bytes (about 600 B of
 * garbage per request at 330-byte lines, issue 14). The gateway formats the lines straight into those
 * bytes, so nothing is encoded on the way either. The event's message is never formatted for it:
 * {@link OutputStreamAppender#subAppend} would prepare the event for deferred processing, which
 * formats it, so a batch bypasses it. Any other event goes through the encoder, by default
 * {@link AccessLogEncoder}.
 */
public class AccessLogAppender extends OutputStreamAppender<ILoggingEvent> {

    @Override
    public void start() {
        if (getOutputStream() == null) setOutputStream(ConsoleTarget.SystemOut.getStream());
        if (getEncoder() == null) {
            AccessLogEncoder encoder = new AccessLogEncoder();
            encoder.setContext(getContext());
            encoder.start();
            setEncoder(encoder);
        }
        super.start();
    }

    @Override
    protected void subAppend(ILoggingEvent event) {
        Optional<AccessLogLines> lines = linesOf(event);
        if (lines.isEmpty()) {
            super.subAppend(event);
            return;
        }
        streamWriteLock.lock();
        try {
            if (!isStarted()) return;
            lines.get().writeUtf8(getOutputStream(), AccessLogEncoder.LINE_SEPARATOR);
            if (isImmediateFlush()) getOutputStream().flush();
        } catch (IOException e) {
            // as OutputStreamAppender does: stop, and say why on Logback's status
            started = false;
            addStatus(new ErrorStatus("IO failure in appender", this, e));
        } finally {
            streamWriteLock.unlock();
        }
    }

    /** The access-log batch an event carries: the one argument of the message {@code "{}"}. */
    static Optional<AccessLogLines> linesOf(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        if (arguments != null && arguments.length == 1 && arguments[0] instanceof AccessLogLines lines
                && "{}".equals(event.getMessage())) {
            return Optional.of(lines);
        }
        return Optional.empty();
    }
}
