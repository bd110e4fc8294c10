package dev.strangler.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user sees when the store cannot be opened: fast, with what to fix. */
class StoreOpeningTest {

    @Test
    void anUnsupportedUrlIsRefusedNamingTheSupportedOnes() {
        assertThatThrownBy(() -> StateStore.open("jdbc:mysql://db/state?password=secret"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("unsupported JDBC URL 'jdbc:mysql://db/state?password=***'")
                .hasMessageContaining("jdbc:h2:file:")
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageNotContaining("secret");
    }

    @Test
    void anUnreachablePostgresFailsFastNamingTheHost() {
        Instant start = Instant.now();

        assertThatThrownBy(() -> StateStore.open("jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=secret"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("reachable")
                .hasMessageNotContaining("secret");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void thePasswordIsRedactedFromTheUrlShownInLogs() {
        assertThat(StoreUrl.parse("jdbc:postgresql://db:5432/state?user=u&password=s3cret&ssl=true").redacted())
                .isEqualTo("jdbc:postgresql://db:5432/state?user=u&password=***&ssl=true");
        assertThat(StoreUrl.parse("jdbc:h2:file:./data;PASSWORD=s3cret;MODE=x").redacted())
                .isEqualTo("jdbc:h2:file:./data;PASSWORD=***;MODE=x");
    }

    @Test
    void h2UrlsGetTheOptionsThePoolNeedsUnlessTheyAlreadySayOtherwise() {
        assertThat(StoreUrl.parse("jdbc:h2:mem:a").jdbcUrl()).isEqualTo("jdbc:h2:mem:a;DB_CLOSE_DELAY=-1");
        assertThat(StoreUrl.parse("jdbc:h2:mem:a;DB_CLOSE_DELAY=10").jdbcUrl()).isEqualTo("jdbc:h2:mem:a;DB_CLOSE_DELAY=10");
        assertThat(StoreUrl.parse("jdbc:h2:file:./state").jdbcUrl()).isEqualTo("jdbc:h2:file:./state;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void aPostgresUrlNamesTheSchemaToMigrateInto() {
        assertThat(StoreUrl.parse("jdbc:postgresql://db/state?currentSchema=fleet_a,public").schema()).contains("fleet_a");
        assertThat(StoreUrl.parse("jdbc:postgresql://db/state").schema()).isEmpty();
    }
}
