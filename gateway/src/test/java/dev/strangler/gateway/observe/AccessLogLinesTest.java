package dev.strangler.gateway.observe;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.read.ListAppender;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.stage.Stage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A batch reaches Logback as an {@link AccessLogLines} argument now, no longer as its text; what any
 * appender writes must stay byte for byte what {@code %msg%n} wrote of the text the batch used to be.
 */
class AccessLogLinesTest {
    private static final Redactor REDACTOR = Redactor.of("token");
    private static final byte[] LINE_SEPARATOR = CoreConstants.LINE_SEPARATOR.getBytes(StandardCharsets.UTF_8);

    /** Strings a request can carry: ASCII, characters to escape, accents, emoji, lone surrogates, long ones. */
    private static Arbitrary<String> requestStrings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().all().ofMinLength(500).ofMaxLength(3_000),
                Arbitraries.of("/caf\u00e9", "\u30c6\u30b9\u30c8 \uD83D\uDE80", "\uD800", "x\uDC00", "a\"b\\c\u0001", "token=s3cret&a=1"));
    }

    private static Arbitrary<Outcome> outcomes() {
        Arbitrary<RequestDetails> details = Combinators.combine(requestStrings(), requestStrings(),
                        Arbitraries.of("", "10.1.2.3", "::1"), Arbitraries.longs().between(-1, 5_000_000_000L))
                .as((query, userAgent, client, upstreamNanos) -> new RequestDetails(query, userAgent, client, upstreamNanos, upstreamNanos));
        Arbitrary<Optional<Outcome.BackendFailure>> fallback = Arbitraries.of(Failure.CONNECT_REFUSED, Failure.TRUNCATED_RESPONSE)
                .map(f -> new Outcome.BackendFailure("posts", f)).optional();
        return Combinators.combine(requestStrings(), requestStrings(), Arbitraries.of(Stage.values()),
                        Arbitraries.integers().between(0, 599), Arbitraries.longs().between(0, 20_000_000_000L), fallback,
                        Arbitraries.of(Failure.values()).optional(), details)
                .as((id, path, stage, status, nanos, fellBack, failure, d) -> new Outcome(id, "GET", path, "posts-read", stage,
                        "posts", status, nanos, 12, 2_048, fellBack, failure, "", d));
    }

    @Provide
    Arbitrary<List<Outcome>> requests() {
        return outcomes().list().ofMaxSize(250).withSizeDistribution(RandomDistribution.uniform());
    }

    /** The messages the batch logged before, as StringBuilder text: lines joined by {@code \n}, handed on from {@link AccessLogBatch#MAX_CHARS}. */
    private static List<String> messagesAsBatchedBefore(List<Outcome> outcomes, long firstMillis) {
        List<String> messages = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < outcomes.size(); i++) {
            if (!lines.isEmpty()) lines.append('\n');
            lines.append(StringBuilderAccessLogLine.line(outcomes.get(i), firstMillis + i, REDACTOR));
            if (lines.length() >= AccessLogBatch.MAX_CHARS) {
                messages.add(lines.toString());
                lines.setLength(0);
            }
        }
        if (!lines.isEmpty()) messages.add(lines.toString());
        return messages;
    }

    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // an AsyncAppender copies the MDC
        context.start();
        return context;
    }

    private static PatternLayoutEncoder msgNewline(LoggerContext context) {
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(context);
        pattern.setPattern("%msg%n");
        pattern.start();
        return pattern;
    }

    private static Logger accessLogger(LoggerContext context, ch.qos.logback.core.Appender<ILoggingEvent> appender) {
        Logger logger = context.getLogger(AccessLog.LOGGER);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        logger.addAppender(appender);
        return logger;
    }

    /**
     * Writes each batch as an appender that knows the type does and as a pattern layout does, while it is
     * logged; each message's bytes as a string of one char per byte, so that batch boundaries are compared too.
     */
    private static final class EveryWay extends AppenderBase<ILoggingEvent> {
        final List<String> direct = new ArrayList<>();
        final List<String> copied = new ArrayList<>();
        final List<String> layout = new ArrayList<>();
        private final PatternLayoutEncoder pattern;

        EveryWay(LoggerContext context) {
            setContext(context);
            pattern = msgNewline(context);
            start();
        }

        @Override
        protected void append(ILoggingEvent event) {
            assertThat(event.getMessage()).isEqualTo("{}");
            AccessLogLines lines = (AccessLogLines) event.getArgumentArray()[0];
            copied.add(bytesAsText(lines.toUtf8(LINE_SEPARATOR))); // first: it encodes the batch, then writeUtf8 reuses that
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                lines.writeUtf8(out, LINE_SEPARATOR);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            direct.add(bytesAsText(out.toByteArray()));
            layout.add(bytesAsText(pattern.encode(event)));
        }
    }

    private static String bytesAsText(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Property(tries = 150)
    void theBytesOfEachBatchAreWhatMsgNewlineWroteOfItsTextBefore(@ForAll("requests") List<Outcome> outcomes) {
        long firstMillis = 1_796_000_000_000L;
        LoggerContext context = context();
        PatternLayoutEncoder pattern = msgNewline(context);
        List<String> before = new ArrayList<>();
        for (String message : messagesAsBatchedBefore(outcomes, firstMillis)) {
            before.add(bytesAsText(pattern.encode(new LoggingEvent("x", context.getLogger(AccessLog.LOGGER), Level.INFO, message, null, null))));
        }

        EveryWay appender = new EveryWay(context);
        AccessLogBatch batch = new AccessLogBatch(accessLogger(context, appender), REDACTOR);
        for (int i = 0; i < outcomes.size(); i++) batch.add(outcomes.get(i), firstMillis + i);
        batch.flush();

        assertThat(appender.direct).isEqualTo(before);
        assertThat(appender.copied).isEqualTo(before);
        assertThat(appender.layout).isEqualTo(before);
        Statistics.label("batches").collect(before.size() > 1 ? "several" : "at most one");
        Statistics.label("batches").coverage(c -> c.check("several").percentage(p -> p >= 20));
    }

    private static Outcome request(String path) {
        return new Outcome("id", "GET", path, "posts-read", Stage.LIVE, "posts", 200, 1_530_000, 0, 206, false, "");
    }

    /** An appender that keeps every event it is given, without formatting it. */
    private static ListAppender<ILoggingEvent> keeping(LoggerContext context) {
        ListAppender<ILoggingEvent> list = new ListAppender<>();
        list.setContext(context);
        list.start();
        return list;
    }

    /** A batch that has logged the line of {@code /first} and holds the line of {@code /second}. */
    private static AccessLogBatch firstLoggedSecondAdded(Logger logger) {
        AccessLogBatch batch = new AccessLogBatch(logger, REDACTOR);
        batch.add(request("/first"), 0);
        batch.flush();
        batch.add(request("/second"), 0);
        return batch;
    }

    @Test
    void anAsyncAppenderGetsTheTextBecauseItFormatsTheMessageBeforeTheCallReturns() throws Exception {
        LoggerContext context = context();
        ListAppender<ILoggingEvent> list = keeping(context);
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.addAppender(list);
        async.start();
        firstLoggedSecondAdded(accessLogger(context, async)).flush();
        async.stop(); // waits for the worker to empty the queue

        assertThat(list.list).map(ILoggingEvent::getFormattedMessage)
                .containsExactly(AccessLog.line(request("/first"), 0, REDACTOR), AccessLog.line(request("/second"), 0, REDACTOR));
    }

    @Test
    void linesKeptPastTheirLogCallRefuseToBeReadRatherThanShowAnotherBatch() {
        LoggerContext context = context();
        ListAppender<ILoggingEvent> keeping = keeping(context);
        firstLoggedSecondAdded(accessLogger(context, keeping));

        AccessLogLines kept = (AccessLogLines) keeping.list.get(0).getArgumentArray()[0];
        assertThatThrownBy(kept::toString).isInstanceOf(IllegalStateException.class).hasMessageContaining("another batch");
        assertThatThrownBy(() -> kept.writeUtf8(java.io.OutputStream.nullOutputStream(), LINE_SEPARATOR)).isInstanceOf(IllegalStateException.class);
    }

}
