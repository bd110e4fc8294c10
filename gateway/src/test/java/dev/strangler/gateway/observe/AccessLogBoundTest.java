package dev.strangler.gateway.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.read.ListAppender;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogBoundTest {
    private static final Outcome OUTCOME = new Outcome("id", "GET", "/x", "posts-read", Stage.LIVE, "posts", 200, 1, 0, 0, false, "");

    /** Counts the lines of each batch, and holds the writer inside its first log call until released. */
    private static final class StalledOutput extends AppenderBase<ILoggingEvent> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        long lines;

        @Override
        protected void append(ILoggingEvent event) {
            lines += event.getFormattedMessage().split("\n").length;
            entered.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void whenTheOutputStallsTheQueuedLinesStopAtTheBoundAndTheRestAreCountedAsDropped() throws Exception {
        LoggerContext context = new LoggerContext();
        Logger access = context.getLogger(AccessLog.LOGGER);
        access.setLevel(Level.INFO);
        StalledOutput output = new StalledOutput();
        output.setContext(context);
        output.start();
        access.addAppender(output);
        Logger operator = (Logger) LoggerFactory.getLogger(AccessLog.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        operator.addAppender(warnings);
        try {
            AccessLog log = new AccessLog(access, Redactor.of());
            log.onComplete(OUTCOME);
            assertThat(output.entered.await(10, TimeUnit.SECONDS)).as("the writer logs the first line").isTrue();
            for (int i = 0; i < AccessLog.MAX_QUEUED_LINES + 7; i++) log.onComplete(OUTCOME);
            output.released.countDown();
            log.close();

            assertThat(output.lines).isEqualTo(1 + AccessLog.MAX_QUEUED_LINES);
            assertThat(warnings.list).map(ILoggingEvent::getFormattedMessage)
                    .containsExactly("access log: 7 lines dropped because the output did not keep up");
        } finally {
            operator.detachAppender(warnings);
        }
    }
}
