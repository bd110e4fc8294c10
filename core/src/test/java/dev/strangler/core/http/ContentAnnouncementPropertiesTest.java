package dev.strangler.core.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequestRules#announcesContent}, the one rule for whether a request has a body, agrees with
 * how every reader of a {@code Content-Length} takes its number (the guard reads it with
 * {@link Long#parseLong}), and never calls a value the checks refuse "no body".
 */
class ContentAnnouncementPropertiesTest {
    @Provide
    Arbitrary<String> acceptedLengths() {
        Arbitrary<String> digits = Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(18);
        Arbitrary<String> zeros = Arbitraries.integers().between(1, 18).map("0"::repeat);
        Arbitrary<String> ows = Arbitraries.of("", " ", "\t", "  ", " \t");
        return Combinators.combine(ows, Arbitraries.oneOf(digits, zeros), ows).as((before, n, after) -> before + n + after);
    }

    @Property(tries = 2000)
    void aLengthTheChecksAcceptAnnouncesABodyExactlyWhenItsNumberIsAboveZero(@ForAll("acceptedLengths") String length) {
        assertThat(RequestRules.framing(Protocol.HTTP_1_1, List.of(), List.of(length))).as("accepted").isEmpty();
        boolean aboveZero = Long.parseLong(length.trim()) > 0;
        assertThat(RequestRules.announcesContent(false, Optional.of(length))).as("Content-Length: \"%s\"", length).isEqualTo(aboveZero);
        assertThat(RequestRules.isZeroLength(length)).isEqualTo(!aboveZero);
    }

    @Provide
    Arbitrary<String> anyLengths() {
        return Arbitraries.of("0", "0", "00", "1", " ", "\t", "+", "-", ",", "x", "\u000b", "\u0000", "\u0660", "\uff10", "e")
                .list().ofMaxSize(24).map(pieces -> String.join("", pieces));
    }

    /** Only a sign, a list, a Unicode digit...: never read as zero. Zeros alone are, however many (the checks refuse more than 18). */
    @Property(tries = 2000)
    void aLengthReadAsZeroIsOneTheChecksAcceptUnlessItHasTooManyDigits(@ForAll("anyLengths") String length) {
        if (!RequestRules.isZeroLength(length)) return;
        String digits = length.strip();
        assertThat(digits).as("Content-Length: \"%s\"", length).matches("0+");
        assertThat(RequestRules.framing(Protocol.HTTP_1_1, List.of(), List.of(length)).isEmpty()).isEqualTo(digits.length() <= 18);
    }

    @Property(tries = 200)
    void transferEncodingAlwaysAnnouncesABody(@ForAll("anyLengths") String length) {
        assertThat(RequestRules.announcesContent(true, Optional.of(length))).isTrue();
        assertThat(RequestRules.announcesContent(true, Optional.empty())).isTrue();
    }
}
