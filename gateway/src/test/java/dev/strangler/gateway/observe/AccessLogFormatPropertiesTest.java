package dev.strangler.gateway.observe;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log's numbers and strings are written without doubles and a character at a time no more;
 * lines must stay byte for byte what they were, so each piece is checked against the code it replaced.
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
        StringBuilder b = new StringBuilder();
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
        return Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars('"', '\\', '\u30c6', '\uD83D', '\uDE80')
                .ofMaxLength(40);
    }

    @Property(tries = 20_000)
    void aStringIsEscapedAsItWasOneCharacterAtATimeAndSaysWhetherItIsAscii(@ForAll("stringsWithCharactersToEscape") String s) {
        StringBuilder b = new StringBuilder();
        boolean ascii = AccessLog.string(b, s);
        assertThat(b.toString()).isEqualTo(stringAsEscapedOneByOne(s));
        assertThat(ascii).as("whether ASCII").isEqualTo(s.chars().allMatch(c -> c < 0x80));
    }
}
