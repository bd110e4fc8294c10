package dev.strangler.gateway.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    private static Outcome outcome(String requestId, String path) {
        return new Outcome(requestId, "GET", path, "posts-read", Stage.CANARY, "posts", 200,
                TimeUnit.MICROSECONDS.toNanos(1530), 0, 206, false, "");
    }

    /** Every line written so far, across the batches the writer made. */
    private List<String> lines() {
        synchronized (appender) {
            List<String> lines = new ArrayList<>();
            for (ILoggingEvent e : appender.list) lines.addAll(Arrays.asList(e.getFormattedMessage().split("\n")));
            return lines;
        }
    }

    @Test
    void eachRequestIsOneJsonLineWithTheFieldsAnOperatorSearchesBy() {
        AccessLog log = new AccessLog();
        log.onComplete(outcome("abc", "/api/posts/1"));
        log.close();

        assertThat(lines()).containsExactly("{\"request_id\":\"abc\",\"method\":\"GET\",\"path\":\"/api/posts/1\","
                + "\"route\":\"posts-read\",\"stage\":\"canary\",\"backend\":\"posts\",\"status\":200,"
                + "\"duration_ms\":1.53,\"bytes_in\":0,\"bytes_out\":206}");
    }

    @Test
    void aFallbackAndAFailureAreNamedWithTheirStableLabels() {
        AccessLog log = new AccessLog();
        log.onComplete(new Outcome("fb", "GET", "/api/posts/1", "posts-read", Stage.CANARY, "monolith", 200,
                TimeUnit.MILLISECONDS.toNanos(2), 0, 10, java.util.Optional.of(new Outcome.BackendFailure("posts",
                Failure.CONNECT_REFUSED)), java.util.Optional.empty()));
        log.onComplete(new Outcome("tr", "GET", "/api/posts/2", "posts-read", Stage.LIVE, "posts", 200,
                TimeUnit.MILLISECONDS.toNanos(2), 0, 10, java.util.Optional.empty(), java.util.Optional.of(Failure.TRUNCATED_RESPONSE)));
        log.close();

        assertThat(lines()).hasSize(2);
        assertThat(lines().get(0)).endsWith(",\"fallback\":true,\"fallback_from\":\"posts\",\"fallback_cause\":\"connect-refused\"}");
        assertThat(lines().get(1)).endsWith(",\"error\":\"truncated-response\"}");
    }

    @Test
    void everyFailureHasADistinctKebabCaseLabel() {
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (Failure f : Failure.values()) {
            assertThat(f.label()).matches("[a-z]+(-[a-z]+)*");
            assertThat(labels.add(f.label())).isTrue();
            assertThat(Failure.ofLabel(f.label())).contains(f);
        }
    }

    @Test
    void aPathCannotBreakOutOfItsJsonString() {
        AccessLog log = new AccessLog();
        log.onComplete(outcome("id", "/a\"b\\c\u0001"));
        log.close();

        assertThat(lines()).singleElement().asString().contains("\"path\":\"/a\\\"b\\\\c\\u0001\"");
    }

    @Test
    void linesFromSeveralEventLoopsAreAllWrittenInTheirOrderBeforeCloseReturns() throws Exception {
        AccessLog log = new AccessLog();
        int perThread = 20_000;
        List<Thread> loops = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            loops.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) log.onComplete(outcome(name + "-" + i, "/x"));
            }));
        }
        for (Thread t : loops) t.join();
        log.close();

        List<String> lines = lines();
        assertThat(lines).hasSize(2 * perThread);
        for (String name : List.of("a", "b")) {
            List<String> ids = lines.stream().filter(l -> l.startsWith("{\"request_id\":\"" + name + "-"))
                    .map(l -> l.substring(15, l.indexOf('"', 15))).toList();
            assertThat(ids).hasSize(perThread);
            assertThat(ids.get(0)).isEqualTo(name + "-0");
            assertThat(ids.get(perThread - 1)).isEqualTo(name + "-" + (perThread - 1));
        }
        // Batched: far fewer writes than lines (one per batch), which is the point of the writer thread.
        synchronized (appender) {
            assertThat(appender.list.size()).isLessThan(lines.size());
        }
    }

    @Test
    void nothingIsLoggedAfterClose() {
        AccessLog log = new AccessLog();
        log.close();
        log.onComplete(outcome("late", "/x"));
        assertThat(lines()).isEmpty();
    }
}
