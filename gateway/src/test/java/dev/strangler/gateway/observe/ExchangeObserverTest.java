package dev.strangler.gateway.observe;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeObserverTest {
    /** Reads neither the client key nor the details, as the metrics and the metric windows. */
    private static final ExchangeObserver COUNTS_ONLY = new ExchangeObserver() {
        @Override
        public void onComplete(Outcome outcome) {
        }

        @Override
        public boolean readsClientKey() {
            return false;
        }

        @Override
        public boolean readsDetails() {
            return false;
        }
    };

    @Test
    void anObserverReadsTheClientKeyAndTheDetailsUnlessItSaysOtherwise() {
        ExchangeObserver unspecified = outcome -> { };

        assertThat(unspecified.readsClientKey()).isTrue();
        assertThat(unspecified.readsDetails()).isTrue();
    }

    @Test
    void theFanOutReadsWhatAnyOfItsObserversReads() {
        ExchangeObserver catalogLike = new ExchangeObserver() {
            @Override
            public void onComplete(Outcome outcome) {
            }

            @Override
            public boolean readsDetails() {
                return false;
            }
        };

        ExchangeObserver withCatalog = ExchangeObserver.all(List.of(COUNTS_ONLY, catalogLike));
        ExchangeObserver countsOnly = ExchangeObserver.all(List.of(COUNTS_ONLY, COUNTS_ONLY));

        assertThat(withCatalog.readsClientKey()).isTrue();
        assertThat(withCatalog.readsDetails()).isFalse();
        assertThat(countsOnly.readsClientKey()).isFalse();
        assertThat(countsOnly.readsDetails()).isFalse();
        assertThat(ExchangeObserver.all(List.of()).readsClientKey()).isFalse();
    }

    @Test
    void theAccessLogReadsTheDetailsButNotTheClientKey() {
        AccessLog log = new AccessLog(dev.strangler.core.shadow.Redactor.of());
        try {
            assertThat(log.readsDetails()).isTrue();
            assertThat(log.readsClientKey()).isFalse();
        } finally {
            log.close();
        }
    }
}
