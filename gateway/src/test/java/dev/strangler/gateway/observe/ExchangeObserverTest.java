package dev.strangler.gateway.observe;

import dev.strangler.gateway.observe.ExchangeObserver.Extra;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeObserverTest {
    private static ExchangeObserver reading(Extra... extras) {
        return new ExchangeObserver() {
            @Override
            public void onComplete(Outcome outcome) {
            }

            @Override
            public Set<Extra> reads() {
                return Set.of(extras);
            }
        };
    }

    @Test
    void anObserverReadsEveryExtraUnlessItSaysOtherwise() {
        ExchangeObserver unspecified = outcome -> { };

        assertThat(unspecified.reads()).containsExactlyInAnyOrder(Extra.CLIENT_KEY, Extra.DETAILS);
    }

    @Test
    void theFanOutReadsWhatAnyOfItsObserversReads() {
        ExchangeObserver countsOnly = reading();

        assertThat(ExchangeObserver.all(List.of(countsOnly, reading(Extra.CLIENT_KEY))).reads()).containsExactly(Extra.CLIENT_KEY);
        assertThat(ExchangeObserver.all(List.of(reading(Extra.DETAILS), countsOnly, reading(Extra.CLIENT_KEY))).reads())
                .containsExactlyInAnyOrder(Extra.CLIENT_KEY, Extra.DETAILS);
        assertThat(ExchangeObserver.all(List.of(countsOnly, countsOnly)).reads()).isEmpty();
        assertThat(ExchangeObserver.all(List.of()).reads()).isEmpty();
    }

    @Test
    void theAccessLogReadsTheDetailsButNotTheClientKey() {
        AccessLog log = new AccessLog(dev.strangler.core.shadow.Redactor.of());
        try {
            assertThat(log.reads()).containsExactly(Extra.DETAILS);
        } finally {
            log.close();
        }
    }
}
