package dev.strangler.core.stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class StickyKeyTest {

    @Test
    void parsesAHeaderKeyWithItsNameLowerCased() {
        assertThat(StickyKey.parse("header:X-User-Id")).hasValue(new StickyKey.Header("x-user-id"));
    }

    @Test
    void parsesACookieKeyKeepingTheNamesCase() {
        assertThat(StickyKey.parse("cookie:SessionId")).hasValue(new StickyKey.Cookie("SessionId"));
    }

    @Test
    void parsesTheClientAddressKey() {
        assertThat(StickyKey.parse("client-ip")).hasValue(new StickyKey.ClientIp());
    }

    @Test
    void surroundingSpacesAreIgnored() {
        assertThat(StickyKey.parse("  header: X-User-Id ")).hasValue(new StickyKey.Header("x-user-id"));
        assertThat(StickyKey.parse(" cookie:  sid")).hasValue(new StickyKey.Cookie("sid"));
        assertThat(StickyKey.parse(" client-ip\t")).hasValue(StickyKey.DEFAULT);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  ", "header:", "header:   ", "cookie:", "cookie: ", "header", "cookie", "ip", "client_ip",
            "client-ip:x", "Header:X-User-Id", "query:user", "X-User-Id"})
    void anythingElseIsNotAStickyKey(String text) {
        assertThat(StickyKey.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"header:x-user-id", "cookie:SessionId", "client-ip"})
    void theConfigFormParsesBackToTheSameKey(String text) {
        StickyKey key = StickyKey.parse(text).orElseThrow();

        assertThat(key.configForm()).isEqualTo(text);
        assertThat(StickyKey.parse(key.configForm())).hasValue(key);
    }

    @Test
    void theDefaultIsTheClientAddressWhichIsAlwaysPresent() {
        assertThat(StickyKey.DEFAULT).isInstanceOf(StickyKey.ClientIp.class);
    }
}
