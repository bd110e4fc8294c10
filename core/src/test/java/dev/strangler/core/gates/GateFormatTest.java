package dev.strangler.core.gates;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link GateFormat#fixed} writes exactly what {@code String.format(Locale.ROOT, "%.Nf", value)} writes. */
class GateFormatTest {

    @Property(tries = 20000)
    void anyDoubleIsWrittenAsFormatWritesIt(@ForAll double value, @ForAll @IntRange(min = 0, max = 9) int decimals) {
        assertThat(GateFormat.fixed(value, decimals)).as("%s to %d places", value, decimals).isEqualTo(format(value, decimals));
    }

    @Property(tries = 20000)
    void numbersAsTheGatesWriteThemAreWrittenAsFormatWritesThem(@ForAll("gateNumbers") double value,
                                                               @ForAll @IntRange(min = 0, max = 4) int decimals) {
        assertThat(GateFormat.fixed(value, decimals)).as("%s to %d places", value, decimals).isEqualTo(format(value, decimals));
    }

    /** Halves at the last place, where half up on the shortest decimal and the exact binary value differ. */
    @Property(tries = 20000)
    void tiesAreRoundedAsFormatRoundsThem(@ForAll("ties") double value, @ForAll @IntRange(min = 0, max = 4) int decimals) {
        assertThat(GateFormat.fixed(value, decimals)).as("%s to %d places", value, decimals).isEqualTo(format(value, decimals));
    }

    @Test
    void edgesAreWrittenAsFormatWritesThem() {
        double[] edges = {0.0, -0.0, 0.125, 1.005, 2.675, 0.5, 1.5, 2.5, -0.5, -0.001, 0.0049999, 0.995, 9.995, 99.95,
                999.5, 1e-300, 4.9e-324, 1e7, 1.0E7 + 0.5, 123456789.125, 1e15, 1e17, 1e18, 9.2e18, 1e19, 1e22, 1e300,
                Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        for (double v : edges) {
            for (int d = 0; d <= 9; d++) assertThat(GateFormat.fixed(v, d)).as("%s to %d places", v, d).isEqualTo(format(v, d));
        }
        assertThat(GateFormat.fixed(0.125, 2)).isEqualTo("0.13");
        assertThat(GateFormat.fixed(1.005, 2)).isEqualTo("1.01");
        assertThat(GateFormat.fixed(-0.0, 2)).isEqualTo("-0.00");
        assertThat(GateFormat.fixed(999.5, 0)).isEqualTo("1000");
    }

    @Test
    void decimalsUseAPointWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            for (Locale l : new Locale[] {Locale.GERMANY, Locale.FRANCE, Locale.forLanguageTag("ar-EG"),
                    Locale.forLanguageTag("hi-IN-u-nu-deva")}) {
                Locale.setDefault(l);
                assertThat(GateFormat.fixed(1234.5678, 2)).as(l.toLanguageTag()).isEqualTo("1234.57");
                assertThat(GateFormat.fixed(Double.NaN, 2)).as(l.toLanguageTag()).isEqualTo("NaN");
                assertThat(GateFormat.pValue(0.05)).as(l.toLanguageTag()).isEqualTo("p=0.0500");
            }
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void placesOutsideZeroToNineAreRefused() {
        assertThatThrownBy(() -> GateFormat.fixed(1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decimals: 10 (expected: 0..9)");
    }

    @Provide
    Arbitrary<Double> gateNumbers() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 100),
                Arbitraries.doubles().between(-100, 100).ofScale(6),
                Arbitraries.doubles().between(0, 1e6),
                Arbitraries.longs().between(0, 10_000_000).map(n -> n / 1e4),
                Arbitraries.longs().between(0, 1_000_000).flatMap(e -> Arbitraries.longs().between(1, 1_000_000)
                        .map(n -> 100.0 * e / n)));
    }

    @Provide
    Arbitrary<Double> ties() {
        return Arbitraries.longs().between(0, 10_000_000).flatMap(n -> Arbitraries.integers().between(1, 6)
                .map(places -> (n * 10 + 5) / Math.pow(10, places)));
    }

    private static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
