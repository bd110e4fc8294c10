package dev.strangler.gateway.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The own server path is on by default, off only when asked with {@code -Dstrangler.own-server=false}, and never on TLS. */
class OwnServerSwitchTest {
    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(OwnServer.SWITCH);
    }

    @AfterEach
    void restore() {
        if (before == null) System.clearProperty(OwnServer.SWITCH);
        else System.setProperty(OwnServer.SWITCH, before);
    }

    @Test
    void withoutTheSwitchAPlainListenerServesOnTheOwnPath() {
        System.clearProperty(OwnServer.SWITCH);
        assertThat(OwnServer.fromSystemProperty(false).isEnabled()).isTrue();
        assertThat(OwnServer.explicitlyRequested()).isFalse();
    }

    @Test
    void falseTurnsTheOwnPathOffWhateverItsCase() {
        System.setProperty(OwnServer.SWITCH, " FALSE ");
        assertThat(OwnServer.fromSystemProperty(false).isEnabled()).isFalse();
        assertThat(OwnServer.requested()).isFalse();
    }

    @Test
    void aTlsListenerNeverServesOnTheOwnPathEvenWhenAskedExplicitly() {
        System.setProperty(OwnServer.SWITCH, "true");
        assertThat(OwnServer.fromSystemProperty(true).isEnabled()).isFalse();
        assertThat(OwnServer.explicitlyRequested()).isTrue();
    }
}
