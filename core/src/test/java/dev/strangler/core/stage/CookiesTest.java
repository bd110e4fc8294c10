package dev.strangler.core.stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CookiesTest {

    @Test
    void readsTheNamedCookieAmongSeveral() {
        String header = "theme=dark; session=abc123; lang=en";

        assertThat(Cookies.value(header, "theme")).hasValue("dark");
        assertThat(Cookies.value(header, "session")).hasValue("abc123");
        assertThat(Cookies.value(header, "lang")).hasValue("en");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=1;session=abc;b=2", "a=1;  session=abc  ;b=2", "  session = abc ", ";; session=abc;;", "session=abc"})
    void spacesAndStraySemicolonsAroundAPairAreIgnored(String header) {
        assertThat(Cookies.value(header, "session")).hasValue("abc");
    }

    @Test
    void aQuotedValueIsUnquoted() {
        assertThat(Cookies.value("a=1; session=\"abc 123\"; b=2", "session")).hasValue("abc 123");
    }

    @Test
    void aLoneQuoteIsKeptAsItIs() {
        assertThat(Cookies.value("session=\"", "session")).hasValue("\"");
    }

    @Test
    void aValueMayContainEqualsSigns() {
        assertThat(Cookies.value("token=YWJj==; a=1", "token")).hasValue("YWJj==");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a=1; b=2", "xsession=abc", "sessionx=abc", "session", "Session=abc", "a=session", "a=1; session"})
    void aMissingCookieIsEmpty(String header) {
        assertThat(Cookies.value(header, "session")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"session=", "session=; a=1", "session=\"\""})
    void anEmptyValueCountsAsMissing(String header) {
        assertThat(Cookies.value(header, "session")).isEmpty();
    }

    @Test
    void aNameThatIsASuffixOfAnEarlierCookieIsNotConfusedWithIt() {
        assertThat(Cookies.value("user_session=wrong; session=right", "session")).hasValue("right");
    }

    @Test
    void aFlagWithoutValueBeforeTheCookieDoesNotHideIt() {
        assertThat(Cookies.value("secure; session=abc", "session")).hasValue("abc");
    }

    @Test
    void theFirstOfDuplicateCookiesWins() {
        assertThat(Cookies.value("session=first; session=second", "session")).hasValue("first");
    }
}
