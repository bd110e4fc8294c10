package dev.strangler.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.gateway.observe.AccessLog;
import dev.strangler.gateway.observe.Outcome;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The events one logger writes while a test runs, to assert on what an operator would read. */
final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    CapturedLog(Class<?> source) {
        this(source.getName());
    }

    CapturedLog(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    /** The one line a real access log, redacting {@code token}, writes for {@code outcome}. */
    static String accessLogLineOf(Outcome outcome) {
        try (CapturedLog captured = new CapturedLog(AccessLog.LOGGER)) {
            AccessLog log = new AccessLog(Redactor.of("token"));
            log.onComplete(outcome);
            log.close();
            List<String> lines = captured.messages(Level.INFO);
            if (lines.size() != 1) throw new AssertionError("expected one access-log line for " + outcome + ", got " + lines);
            return lines.get(0);
        }
    }

    /** Formatted messages at {@code level}, oldest first. */
    List<String> messages(Level level) {
        synchronized (appender) { // appends hold the appender's lock
            return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
