package dev.strangler.store;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored latency text reads back exactly what {@code Double.parseDouble} read, bit for bit, and writes what it always wrote. */
class LatencyTextTest {

    @Property(tries = 5000)
    void anyDoubleReadsBackBitForBit(@ForAll double value) {
        String text = Double.toString(value);

        assertThat(Double.doubleToRawLongBits(LatencyText.parseValue(text, 0, text.length())))
                .as(text).isEqualTo(Double.doubleToRawLongBits(value));
    }

    @Property(tries = 5000)
    void latenciesAsMeasuredReadBackBitForBit(@ForAll("nanosAsMillis") double millis) {
        String text = Double.toString(millis);

        assertThat(LatencyText.parseValue(text, 0, text.length())).as(text).isEqualTo(millis);
    }

    @Property(tries = 2000)
    void anyDecimalTextReadsAsParseDoubleReadsIt(@ForAll("decimals") String text) {
        assertThat(Double.doubleToRawLongBits(LatencyText.parseValue(text, 0, text.length())))
                .as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
    }

    @Property(tries = 500)
    void aSampleIsWrittenAsTheSpaceJoinedDoubleToStringsAndReadBack(@ForAll @DoubleRange(min = 0, max = 1e6) List<Double> sample) {
        double[] values = sample.stream().mapToDouble(Double::doubleValue).toArray();

        String text = LatencyText.format(values);

        assertThat(text).isEqualTo(String.join(" ", sample.stream().map(d -> Double.toString(d)).toList()));
        assertThat(parse(text)).containsExactly(values);
    }

    @Test
    void textWrittenByEarlierVersionsIsReadAsBefore() {
        // As the earlier reader did: strip, split on single spaces, parseDouble each.
        String stored = " 0.5 12.25 1.0E-4 3.0E7 250.0 0.0 17.123456789012345 ";
        double[] before = Arrays.stream(stored.strip().split(" ")).mapToDouble(Double::parseDouble).toArray();

        assertThat(parse(stored)).containsExactly(before);
    }

    @Test
    void anEmptySampleIsNoValues() {
        assertThat(parse("")).isEmpty();
        assertThat(parse("   ")).isEmpty();
        assertThat(LatencyText.format(new double[0])).isEmpty();
    }

    @Test
    void valuesParseDoubleReadsBeyondTheFastPathAreReadAsItReadsThem() {
        for (String text : List.of("NaN", "Infinity", "-1.5", "+2.0", "1.7976931348623157E308", "4.9E-324",
                "123456789012345678901234567890", "1e5", "1.", ".5", "2.5d")) {
            assertThat(Double.doubleToRawLongBits(LatencyText.parseValue(text, 0, text.length()))).as(text)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
        }
    }

    @Test
    void aValueThatIsNoNumberFailsAsParseDoubleFails() {
        for (String text : List.of("abc", ".", "1.2.3", "1E", "1E+", "--1", "1,5")) {
            assertThatThrownBy(() -> parse("1.0 " + text + " 2.0")).as(text)
                    .isInstanceOf(NumberFormatException.class);
        }
    }

    @Provide
    Arbitrary<Double> nanosAsMillis() {
        return Arbitraries.longs().between(0, 120_000_000_000L).map(nanos -> nanos / 1_000_000.0);
    }

    @Provide
    Arbitrary<String> decimals() {
        Arbitrary<String> digits = Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> fraction = Arbitraries.strings().withCharRange('0', '9').ofMinLength(0).ofMaxLength(20);
        Arbitrary<String> exponent = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.integers().between(-340, 340).map(e -> "E" + e));
        return net.jqwik.api.Combinators.combine(digits, fraction, exponent)
                .as((whole, frac, exp) -> whole + (frac.isEmpty() ? "" : "." + frac) + exp);
    }

    /** The values read, as a side's sample. */
    private static double[] parse(String text) {
        return LatencyText.parse(text).build(0, 0, 0).latenciesMillis();
    }
}
