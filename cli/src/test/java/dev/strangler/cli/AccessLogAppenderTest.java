package dev.strangler.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.AccessLog;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.gateway.observe.RequestDetails;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strangler run}'s access-log appender writes batches from the access log's buffers; whatever a
 * user configures instead (a pattern layout, or the encoder older logback.xml files name) must write the
 * very same bytes.
 */
class AccessLogAppenderTest {

    /** Requests with paths and user agents of any characters: ASCII, accents, emoji, lone surrogates. */
    @Provide
    Arbitrary<List<Outcome>> requests() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(30), Arbitraries.of("/caf\u00e9", "\uD83D\uDE80 agent", "\uDC00"));
        return net.jqwik.api.Combinators.combine(text, text)
                .as((path, userAgent) -> new Outcome("id", "GET", path, "posts-read", Stage.CANARY, "posts", 200, 1_530_000,
                        0, 206, Optional.empty(), Optional.empty(), "", new RequestDetails("", userAgent, "10.1.2.3", -1, -1)))
                .list().ofMinSize(1).ofMaxSize(50);
    }

    private static <A extends OutputStreamAppender<ILoggingEvent>> A writingTo(A appender, ByteArrayOutputStream out,
                                                                             Encoder<ILoggingEvent> encoder) {
        LoggerContext context = new LoggerContext();
        appender.setContext(context);
        if (encoder != null) {
            encoder.setContext(context);
            encoder.start();
            appender.setEncoder(encoder);
        }
        appender.setOutputStream(out);
        appender.start();
        return appender;
    }

    private static PatternLayoutEncoder msgNewline() {
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setPattern("%msg%n");
        return pattern;
    }

    /**
     * Logs {@code outcomes} through a new access log with {@code appenders} in place of the ones the
     * {@code strangler.access} logger has (cli's logback.xml), and puts those back after.
     */
    private static void logThrough(List<Outcome> outcomes, List<Appender<ILoggingEvent>> appenders) {
        Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
        List<Appender<ILoggingEvent>> configured = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) configured.add(it.next());
        configured.forEach(logger::detachAppender);
        appenders.forEach(logger::addAppender);
        try {
            AccessLog log = new AccessLog(Redactor.of("token"));
            outcomes.forEach(log::onComplete);
            log.close();
        } finally {
            appenders.forEach(logger::detachAppender);
            configured.forEach(logger::addAppender);
        }
    }

    @Property(tries = 100)
    void writesWhatAPlainPatternLayoutAndTheOlderEncoderWrite(@ForAll("requests") List<Outcome> outcomes) {
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        ByteArrayOutputStream layout = new ByteArrayOutputStream();
        ByteArrayOutputStream encoder = new ByteArrayOutputStream();
        logThrough(outcomes, List.of(
                writingTo(new AccessLogAppender(), direct, null),
                writingTo(new OutputStreamAppender<>(), layout, msgNewline()),
                writingTo(new OutputStreamAppender<>(), encoder, new AccessLogEncoder())));

        assertThat(direct.toByteArray()).isEqualTo(layout.toByteArray()).isEqualTo(encoder.toByteArray());
        String text = direct.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).hasSize(outcomes.size()).allSatisfy(line -> assertThat(line).startsWith("{\"time\":\""));
    }

    @Test
    void aUsersLogbackXmlWithAPatternLayoutOrTheEncoderByNameGetsTheSameLines(@TempDir Path dir) throws Exception {
        String xml = """
                <configuration>
                  <appender name="PLAIN" class="ch.qos.logback.core.FileAppender">
                    <file>%1$s/plain.jsonl</file>
                    <encoder><pattern>%%msg%%n</pattern></encoder>
                  </appender>
                  <appender name="NAMED" class="ch.qos.logback.core.FileAppender">
                    <file>%1$s/named.jsonl</file>
                    <encoder class="dev.strangler.cli.AccessLogEncoder"/>
                  </appender>
                  <logger name="strangler.access" level="INFO" additivity="false">
                    <appender-ref ref="PLAIN"/>
                    <appender-ref ref="NAMED"/>
                  </logger>
                </configuration>
                """.formatted(dir);
        LoggerContext users = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(users);
        configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Logger configured = users.getLogger(AccessLog.LOGGER);
        List<Appender<ILoggingEvent>> theirs = List.of(configured.getAppender("PLAIN"), configured.getAppender("NAMED"));
        assertThat(theirs).doesNotContainNull();

        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        List<Appender<ILoggingEvent>> all = new ArrayList<>(theirs);
        all.add(writingTo(new AccessLogAppender(), direct, null));
        List<Outcome> outcomes = List.of(
                new Outcome("a", "GET", "/api/posts/1", "posts-read", Stage.LIVE, "posts", 200, 1_000_000, 0, 10, false, ""),
                new Outcome("b", "GET", "/api/caf\u00e9/\uD83D\uDE80", "posts-read", Stage.LIVE, "posts", 404, 2_000_000, 0, 0, false, ""));
        logThrough(outcomes, all);
        users.stop(); // closes the files

        byte[] expected = direct.toByteArray();
        assertThat(new String(expected, StandardCharsets.UTF_8).lines()).hasSize(2);
        assertThat(Files.readAllBytes(dir.resolve("plain.jsonl"))).isEqualTo(expected);
        assertThat(Files.readAllBytes(dir.resolve("named.jsonl"))).isEqualTo(expected);
    }
}
