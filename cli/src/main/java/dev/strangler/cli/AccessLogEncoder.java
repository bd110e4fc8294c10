package dev.strangler.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.strangler.gateway.observe.AccessLog;

import java.nio.charset.StandardCharsets;

/**
 * The access log's encoder (logback.xml, {@code ACCESS_STDOUT}): writes each message and a line
 * separator, exactly what the pattern {@code %msg%n} wrote, with one copy of the text instead of
 * four. The gateway's {@code AccessLog} hands Logback batches of up to 64 KB of lines; through a
 * pattern layout each batch was appended to a growing buffer, turned into a string and then into
 * bytes, about 1 KB of garbage per request at 330-byte lines (docs/performance.md, "Where the time
 * goes"). Lines are ASCII unless a path or user agent carries other characters; those batches are
 * encoded as UTF-8 like before. The access log says when a batch is known to be ASCII
 * ({@link AccessLog#isKnownAscii}): it has looked at every character of the request's strings while
 * escaping them, so the encoder copies the batch without a second look.
 */
public final class AccessLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] LINE_SEPARATOR = System.lineSeparator().getBytes(StandardCharsets.US_ASCII);

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return bytes(String.valueOf(event.getFormattedMessage()));
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII, which is known or checked first
    static byte[] bytes(String message) {
        int n = message.length();
        if (!AccessLog.isKnownAscii(message)) {
            for (int i = 0; i < n; i++) {
                if (message.charAt(i) >= 0x80) return (message + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
            }
        }
        byte[] out = new byte[n + LINE_SEPARATOR.length];
        message.getBytes(0, n, out, 0);
        System.arraycopy(LINE_SEPARATOR, 0, out, n, LINE_SEPARATOR.length);
        return out;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
