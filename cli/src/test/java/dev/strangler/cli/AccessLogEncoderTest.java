package dev.strangler.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogEncoderTest {
    private static byte[] withPattern(LoggingEvent event) {
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(new LoggerContext());
        pattern.setPattern("%msg%n");
        pattern.start();
        return pattern.encode(event);
    }

    private static LoggingEvent event(String message) {
        LoggerContext context = new LoggerContext();
        return new LoggingEvent("x", context.getLogger("strangler.access"), Level.INFO, message, null, null);
    }

    @Test
    void writesWhatThePatternMsgNewlineWroteForAsciiAndForOtherCharacters() {
        AccessLogEncoder encoder = new AccessLogEncoder();
        for (String message : new String[] {
                "{\"time\":\"2026-11-30T20:00:00.000Z\",\"path\":\"/api/r0/items/42\"}\n{\"path\":\"/b\"}",
                "{\"path\":\"/caf\u00e9\",\"user_agent\":\"\u30c6\u30b9\u30c8 \uD83D\uDE80\"}",
                ""}) {
            assertThat(encoder.encode(event(message))).as(message).isEqualTo(withPattern(event(message)));
        }
    }
}
