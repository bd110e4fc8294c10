package dev.strangler.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReachabilityTest {

    private static final Instant OUTAGE = Instant.parse("2025-03-01T10:00:00Z");
    private final Reachability reachability =
            new Reachability(Clock.fixed(OUTAGE, ZoneOffset.UTC), "jdbc:postgresql://db:5432/state");

    @Test
    void aLostConnectionMakesTheStoreUnreachableSinceThenUntilTheDatabaseAnswersAgain() {
        reachability.failed(new SQLTransientConnectionException("Connection is not available, request timed out"));
        StoreHealth down = reachability.health();

        reachability.answered();
        StoreHealth up = reachability.health();

        assertThat(down.reachable()).isFalse();
        assertThat(down.since()).contains(OUTAGE);
        assertThat(down.lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("jdbc:postgresql://db:5432/state", "timed out", "reachable"));
        assertThat(up).isEqualTo(new StoreHealth(true, Optional.empty(), down.lastError()));
    }

    @Test
    void anErrorTheDatabaseAnsweredWithLeavesItReachable() {
        reachability.failed(new SQLException("value too long for type character varying(255)", "22001"));

        assertThat(reachability.health().reachable()).isTrue();
        assertThat(reachability.health().lastError()).hasValueSatisfying(e -> assertThat(e).contains("value too long"));
    }
}
