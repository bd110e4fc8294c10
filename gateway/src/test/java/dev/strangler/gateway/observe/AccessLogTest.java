package dev.strangler.gateway.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.strangler.core.shadow.Redactor;
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
        AccessLog log = new AccessLog(Redactor.of("token", "password"));
        log.onComplete(outcome("abc", "/api/posts/1"));
        log.close();

        assertThat(lines()).singleElement().asString().matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",.*");
        assertThat(lines().get(0).substring(lines().get(0).indexOf(",") + 1)).isEqualTo("\"request_id\":\"abc\",\"method\":\"GET\",\"path\":\"/api/posts/1\","
                + "\"route\":\"posts-read\",\"stage\":\"canary\",\"backend\":\"posts\",\"status\":200,"
                + "\"duration_ms\":1.53,\"bytes_in\":0,\"bytes_out\":206}");
    }

    @Test
    void theDetailsOfARequestFollowItsOutcomeWithTheTimeInUtcToTheMillisecond() {
        RequestDetails details = new RequestDetails("page=2&sort=new", "curl/8.5.0", "10.1.2.3",
                TimeUnit.MICROSECONDS.toNanos(250), TimeUnit.MICROSECONDS.toNanos(1200));
        Outcome o = new Outcome("abc", "GET", "/api/posts", "posts-read", Stage.SHADOW, "monolith", 200,
                TimeUnit.MICROSECONDS.toNanos(1530), 12, 206, java.util.Optional.empty(), java.util.Optional.empty(), "", details);

        String line = AccessLog.line(o, java.time.Instant.parse("2026-11-30T18:30:06.007Z").toEpochMilli(), Redactor.of());

        assertThat(line).isEqualTo("{\"time\":\"2026-11-30T18:30:06.007Z\",\"request_id\":\"abc\",\"method\":\"GET\","
                + "\"path\":\"/api/posts\",\"query\":\"page=2&sort=new\",\"route\":\"posts-read\",\"stage\":\"shadow\","
                + "\"backend\":\"monolith\",\"status\":200,\"duration_ms\":1.53,\"bytes_in\":12,\"bytes_out\":206,"
                + "\"client\":\"10.1.2.3\",\"user_agent\":\"curl/8.5.0\",\"upstream_connect_ms\":0.25,"
                + "\"upstream_response_ms\":1.2}");
    }

    @Test
    void queryParametersNamedLikeSecretsAreLoggedAsRedactedWhateverTheirCase() {
        RequestDetails details = new RequestDetails("q=cats&Token=abc123&password=hunter2&tokenish=ok", "", "", -1, -1);
        Outcome o = new Outcome("r", "GET", "/search", "_unrouted", Stage.MONOLITH, "monolith", 200, 1, 0, 0,
                java.util.Optional.empty(), java.util.Optional.empty(), "", details);

        String line = AccessLog.line(o, 0, Redactor.of("token", "password"));

        assertThat(line).contains("\"query\":\"q=cats&Token=" + Redactor.REDACTED + "&password=" + Redactor.REDACTED + "&tokenish=ok\"")
                .doesNotContain("abc123").doesNotContain("hunter2");
    }

    @Test
    void theTimeHasThreeDigitsOfMillisecondsAcrossSecondsAndBeforeTheEpoch() {
        Outcome o = outcome("t", "/x");
        java.util.function.LongFunction<String> time = ms -> {
            String line = AccessLog.line(o, ms, Redactor.of());
            return line.substring("{\"time\":\"".length(), line.indexOf('"', "{\"time\":\"".length()));
        };
        for (String expected : List.of("2026-11-30T18:30:06.000Z", "2026-11-30T18:30:06.009Z", "2026-11-30T18:30:06.010Z",
                "2026-11-30T18:30:06.999Z", "2026-11-30T18:30:07.000Z", "2026-11-30T18:30:06.500Z", "1969-12-31T23:59:59.999Z")) {
            assertThat(time.apply(java.time.Instant.parse(expected).toEpochMilli())).isEqualTo(expected);
        }
    }

    @Test
    void fieldsNotKnownAreLeftOutRatherThanWrittenEmpty() {
        String line = AccessLog.line(outcome("x", "/x"), 0, Redactor.of());

        assertThat(line).startsWith("{\"time\":\"1970-01-01T00:00:00.000Z\",")
                .doesNotContain("\"query\"", "\"client\"", "\"user_agent\"", "upstream_connect_ms", "upstream_response_ms");
    }

    @Test
    void aUserAgentCannotBreakOutOfItsJsonString() {
        Outcome o = new Outcome("r", "GET", "/x", "_unrouted", Stage.MONOLITH, "monolith", 200, 1, 0, 0,
                java.util.Optional.empty(), java.util.Optional.empty(), "",
                new RequestDetails("", "evil\"},\"status\":500", "", -1, -1));

        assertThat(AccessLog.line(o, 0, Redactor.of())).contains("\"user_agent\":\"evil\\\"},\\\"status\\\":500\"}");
    }

    @Test
    void aFallbackAndAFailureAreNamedWithTheirStableLabels() {
        AccessLog log = new AccessLog(Redactor.of("token", "password"));
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
        AccessLog log = new AccessLog(Redactor.of("token", "password"));
        log.onComplete(outcome("id", "/a\"b\\c\u0001"));
        log.close();

        assertThat(lines()).singleElement().asString().contains("\"path\":\"/a\\\"b\\\\c\\u0001\"");
    }

    @Test
    void linesFromSeveralEventLoopsAreAllWrittenInTheirOrderBeforeCloseReturns() throws Exception {
        AccessLog log = new AccessLog(Redactor.of("token", "password"));
        int perThread = AccessLog.MAX_QUEUED_LINES / 2; // all may wait at once: none is dropped however late the writer runs
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
            List<String> ids = lines.stream().map(l -> l.substring(l.indexOf("\"request_id\":\"") + 14))
                    .filter(l -> l.startsWith(name + "-"))
                    .map(l -> l.substring(0, l.indexOf('"'))).toList();
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
        AccessLog log = new AccessLog(Redactor.of("token", "password"));
        log.close();
        log.onComplete(outcome("late", "/x"));
        assertThat(lines()).isEmpty();
    }
}
