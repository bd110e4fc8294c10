package dev.strangler.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.strangler.gateway.observe.AccessLogLines;

import java.nio.charset.StandardCharsets;

/**
 * Writes each message and a line separator, exactly what the pattern {@code %msg%n} writes, in UTF-8.
 * The gateway's access log hands Logback its lines as one {@link AccessLogLines} argument per batch;
 * those are copied from the batch's bytes (formatted as UTF-8 by the gateway) once, without a string in between. {@link AccessLogAppender}
 * (the default logback.xml) skips even that copy; this encoder stays for configurations that name it
 * in another appender, and is that appender's encoder for any other message.
 */
public final class AccessLogEncoder extends EncoderBase<ILoggingEvent> {
    static final byte[] LINE_SEPARATOR = CoreConstants.LINE_SEPARATOR.getBytes(StandardCharsets.UTF_8);

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return AccessLogAppender.linesOf(event)
                .map(lines -> lines.toUtf8(LINE_SEPARATOR))
                .orElseGet(() -> (event.getFormattedMessage() + CoreConstants.LINE_SEPARATOR).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
