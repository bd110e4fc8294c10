package dev.strangler.gateway.observe;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log's numbers and strings are written without doubles, a character at a time no more, and
 * straight into UTF-8 bytes; lines must stay byte for byte what they were, so each piece is checked against
 * the code it replaced.
 */
class AccessLogFormatPropertiesTest {

    /** How {@code duration_ms} and the upstream times were written before: a double, printed. */
    private static String millisAsTheDoublePrintedThem(long nanos) {
        return String.valueOf(Math.round(nanos / 10_000.0) / 100.0);
    }

    /** How strings were escaped before: a character at a time, control characters through String.format. */
    private static String stringAsEscapedOneByOne(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private static String millis(long nanos) {
        Utf8Text b = new Utf8Text(0);
        AccessLog.millis(b, nanos);
        return b.toString();
    }

    @Property(tries = 20_000)
    void aDurationIsWrittenAsTheDoubleWroteIt(@ForAll long nanos) {
        assertThat(millis(nanos)).isEqualTo(millisAsTheDoublePrintedThem(nanos));
    }

    @Property(tries = 20_000)
    void aDurationUnderAnHourIsWrittenAsTheDoubleWroteIt(@ForAll @LongRange(min = 0, max = 3_600_000_000_000L) long nanos) {
        assertThat(millis(nanos)).isEqualTo(millisAsTheDoublePrintedThem(nanos));
    }

    /** Next to where the hundredths round up (…4_999, …5_000, …5_001) and where the double takes an exponent. */
    @Provide
    Arbitrary<Long> nanosNextToABoundary() {
        Arbitrary<Long> halves = Arbitraries.longs().between(0, 2_000_000_000L).map(k -> k * 10_000 + 5_000);
        Arbitrary<Long> exponent = Arbitraries.longs().between(-50_000, 50_000).map(d -> 9_999_999_995_000L + d);
        return Arbitraries.oneOf(halves, exponent).flatMap(n -> Arbitraries.of(n - 1, n, n + 1));
    }

    @Property(tries = 20_000)
    void aDurationNextToARoundingBoundaryIsWrittenAsTheDoubleWroteIt(@ForAll("nanosNextToABoundary") long nanos) {
        assertThat(millis(nanos)).isEqualTo(millisAsTheDoublePrintedThem(nanos));
    }

    @Provide
    Arbitrary<String> stringsWithCharactersToEscape() {
        return Arbitraries.strings().withCharRange('\u0000', '\u00ff')
                .withChars('"', '\\', '\u07ff', '\u0800', '\u30c6', '\uffff', '\uD83D', '\uDE80', '\uD800', '\uDFFF')
                .ofMaxLength(40);
    }

    @Property(tries = 20_000)
    void aStringIsTheUtf8OfItsEscapingOneCharacterAtATimeAndCountsItsChars(@ForAll("stringsWithCharactersToEscape") String s) {
        Utf8Text b = new Utf8Text(0);
        b.jsonString(s.toCharArray(), 0, s.length());
        String escaped = stringAsEscapedOneByOne(s);
        // compared as one char per byte, so that a failure shows text rather than a list of numbers
        assertThat(new String(b.array(), 0, b.length(), StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(escaped.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        assertThat(b.charLength()).as("length in UTF-16 chars").isEqualTo(escaped.length());
    }

    @Property(tries = 20_000)
    void aNumberIsWrittenAsLongToStringWritesIt(@ForAll long v) {
        assertThat(new Utf8Text(0).decimal(v).toString()).isEqualTo(Long.toString(v));
    }

    @Property
    void theLongestNumbersAreWrittenAsLongToStringWritesThem(@ForAll("longEdges") long v) {
        assertThat(new Utf8Text(0).decimal(v).toString()).isEqualTo(Long.toString(v));
    }

    @Provide
    Arbitrary<Long> longEdges() {
        return Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -10L, -9L, -1L, 0L, 1L, 9L, 10L, 99L, 100L,
                999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE - 1, Long.MAX_VALUE);
    }
}
