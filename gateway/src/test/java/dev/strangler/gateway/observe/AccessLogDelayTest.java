package dev.strangler.gateway.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.strangler.gateway.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** When the writer wakes: the time bound, the size bound, and the first line after an idle spell. */
class AccessLogDelayTest {
    private static final Duration FOREVER = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int NEVER_BY_SIZE = 1 << 30;

    private final LoggerContext context = new LoggerContext();
    private final Messages output = new Messages();
    private final Logger access = context.getLogger(AccessLog.LOGGER);

    AccessLogDelayTest() {
        access.setLevel(Level.INFO);
        output.setContext(context);
        output.start();
        access.addAppender(output);
    }

    /** Keeps each message as formatted during the log call: the writer reuses its batch's buffers after it. */
    private static final class Messages extends AppenderBase<ILoggingEvent> {
        final List<String> list = new ArrayList<>();

        @Override
        protected synchronized void append(ILoggingEvent event) {
            list.add(event.getFormattedMessage());
        }
    }

    private static Outcome outcome(String requestId) {
        return new Outcome(requestId, "GET", "/x", "posts-read", Stage.LIVE, "posts", 200, 1, 0, 0, false, "");
    }

    /** The lines of each message the writer logged, one list per batch. */
    private List<List<String>> batches() {
        synchronized (output) {
            List<List<String>> batches = new ArrayList<>();
            for (String message : output.list) {
                List<String> ids = new ArrayList<>();
                for (String line : message.split("\n")) {
                    ids.add(line.replaceAll(".*\"request_id\":\"([^\"]*)\".*", "$1"));
                }
                batches.add(ids);
            }
            return batches;
        }
    }

    @Test
    void aLineIsWrittenAfterTheTimeBoundWithoutMoreLinesOrAClose() throws Exception {
        try (AccessLog log = new AccessLog(access, Redactor.of(), Duration.ofMillis(20), NEVER_BY_SIZE)) {
            log.onComplete(outcome("a"));

            eventually(WAIT, () -> assertThat(batches()).containsExactly(List.of("a")));
        }
    }

    @Test
    void theLineThatFillsABatchWakesTheWriterBeforeTheTimeBoundAndTheBatchHoldsThemAll() throws Exception {
        try (AccessLog log = new AccessLog(access, Redactor.of(), FOREVER, 4)) {
            for (String id : List.of("a", "b", "c", "d")) log.onComplete(outcome(id));

            // Nothing else wakes the writer within the hour: the four lines come out together, in order.
            eventually(WAIT, () -> assertThat(batches()).containsExactly(List.of("a", "b", "c", "d")));
        }
    }

    @Test
    void anIdleWriterIsWokenByTheNextLineAndWritesItWithinTheTimeBound() throws Exception {
        try (AccessLog log = new AccessLog(access, Redactor.of(), Duration.ofMillis(20), NEVER_BY_SIZE)) {
            log.onComplete(outcome("a"));
            eventually(WAIT, () -> assertThat(batches()).containsExactly(List.of("a")));
            eventually(WAIT, () -> assertThat(log.isIdle()).as("the writer sleeps until the next line").isTrue());

            log.onComplete(outcome("b"));

            eventually(WAIT, () -> assertThat(batches()).containsExactly(List.of("a"), List.of("b")));
        }
    }

    @Test
    void closingWritesWhatIsQueuedAtOnceWithoutWaitingForEitherBound() {
        long start = System.nanoTime();
        try (AccessLog log = new AccessLog(access, Redactor.of(), FOREVER, NEVER_BY_SIZE)) {
            for (String id : List.of("a", "b", "c")) log.onComplete(outcome(id));
        }

        assertThat(batches()).containsExactly(List.of("a", "b", "c"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
