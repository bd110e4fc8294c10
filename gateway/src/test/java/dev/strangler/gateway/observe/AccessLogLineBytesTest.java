package dev.strangler.gateway.observe;

import dev.strangler.core.http.Rejection;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.stage.Stage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer formats each line straight into UTF-8 bytes now; they must be, for any request, the
 * UTF-8 of the line the StringBuilder formatter wrote ({@link StringBuilderAccessLogLine}), which the
 * batch's CharsetEncoder then made into bytes as {@code String.getBytes(UTF_8)} does.
 */
class AccessLogLineBytesTest {
    private static final Redactor REDACTOR = Redactor.of("token", "password");

    /** Characters where escaping or UTF-8 changes: controls, quote, backslash, 1/2/3/4-byte edges, lone surrogates. */
    private static final char[] EDGE_CHARS = {'a', '/', '=', '&', '"', '\\', '\u0000', '\u0001', '\u000f', '\u0010', '\u001f',
            '\u007f', '\u0080', '\u00e9', '\u07ff', '\u0800', '\u30c6', '\ufffd', '\uffff', '\uD83D', '\uDE80', '\uD800',
            '\uDBFF', '\uDC00', '\uDFFF'};

    private static Arbitrary<String> requestStrings() {
        return Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().ascii().ofMaxLength(60),
                Arbitraries.strings().withChars(EDGE_CHARS).ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMinLength(200).ofMaxLength(2_000),
                Arbitraries.of("caf\u00e9", "\u30c6\u30b9\u30c8 \uD83D\uDE80", "\uD800", "x\uDC00", "\uDE80\uD83D",
                        "\uD83D\uD83D\uDE80", "a\"b\\c\u0001", "token=s3cret&a=1&password=\u00e9\uD83D"));
    }

    private static Arbitrary<Long> numbers() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-1, 10_000_000_000L),
                Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 9_999_999_994_999L, 9_999_999_995_000L,
                        Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<Outcome> outcomes() {
        return anyOutcome();
    }

    /** Outcomes with any strings (escapes, every UTF-8 length, lone surrogates, texts past a slot's kept array) and numbers. */
    static Arbitrary<Outcome> anyOutcome() {
        Arbitrary<RequestDetails> details = Combinators.combine(requestStrings(), requestStrings(), requestStrings(),
                        numbers(), numbers())
                .as(RequestDetails::new);
        Arbitrary<Optional<Outcome.BackendFailure>> fallback = Combinators.combine(requestStrings(), Arbitraries.of(Failure.values()))
                .as(Outcome.BackendFailure::new).optional();
        Arbitrary<Integer> statuses = Arbitraries.oneOf(Arbitraries.integers().between(0, 599), Arbitraries.integers());
        Arbitrary<Outcome> head = Combinators.combine(requestStrings(), requestStrings(), requestStrings(), requestStrings(),
                        Arbitraries.of(Stage.values()), requestStrings(), statuses, numbers())
                .as((id, method, path, route, stage, backend, status, nanos) -> new Outcome(id, method, path, route, stage,
                        backend, status, nanos, 0, 0, Optional.empty(), Optional.empty(), "", RequestDetails.NONE));
        // A refused request (its rule the error) is a bad request.
        Arbitrary<Optional<Rejection.Code>> refusal = Arbitraries.of(Rejection.Code.values()).optional();
        return Combinators.combine(head, numbers(), numbers(), fallback, Arbitraries.of(Failure.values()).optional(), refusal, details)
                .as((o, in, out, fellBack, failure, rule, d) -> new Outcome(o.requestId(), o.method(), o.path(), o.route(), o.stage(),
                        o.backend(), o.status(), o.durationNanos(), in, out, fellBack,
                        rule.isPresent() ? Optional.of(Failure.BAD_REQUEST) : failure, rule, "", d));
    }

    @Provide
    Arbitrary<Long> times() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-62_167_219_200_000L, 253_402_300_799_999L), // years 0 to 9999
                Arbitraries.longs(), Arbitraries.of(Long.MIN_VALUE, -1L, 0L, 999L, 1_000L, Long.MAX_VALUE));
    }

    /** Bytes as a string of one char each, so that a failure shows text rather than a list of numbers. */
    private static String oneCharPerByte(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String bytesOf(Utf8Text text) {
        return oneCharPerByte(Arrays.copyOf(text.array(), text.length()));
    }

    @Property(tries = 5_000)
    void eachLineIsTheUtf8OfWhatTheStringBuilderFormatterWrote(@ForAll("outcomes") Outcome o, @ForAll("times") long epochMillis) {
        Utf8Text text = new Utf8Text(16);
        AccessLog.line(text, o, epochMillis, REDACTOR);

        String before = StringBuilderAccessLogLine.line(o, epochMillis, REDACTOR);
        assertThat(bytesOf(text)).isEqualTo(oneCharPerByte(before.getBytes(StandardCharsets.UTF_8)));
        assertThat(text.charLength()).as("length in UTF-16 chars").isEqualTo(before.length());
    }

    @Property(tries = 500)
    void linesAppendedAfterOthersAreTheirBytesAppended(@ForAll("outcomes") Outcome first, @ForAll("outcomes") Outcome second) {
        Utf8Text text = new Utf8Text(0);
        AccessLog.line(text, first, 0, REDACTOR);
        text.ascii('\n');
        AccessLog.line(text, second, 1, REDACTOR);

        String before = StringBuilderAccessLogLine.line(first, 0, REDACTOR) + "\n" + StringBuilderAccessLogLine.line(second, 1, REDACTOR);
        assertThat(bytesOf(text)).isEqualTo(oneCharPerByte(before.getBytes(StandardCharsets.UTF_8)));
        assertThat(text.charLength()).isEqualTo(before.length());
    }
}
