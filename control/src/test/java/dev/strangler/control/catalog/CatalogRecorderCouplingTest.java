package dev.strangler.control.catalog;

import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.store.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A session's requests are grouped as the catalog groups its endpoints at the time, also after a new endpoint renames the groups. */
class CatalogRecorderCouplingTest {
    private final StateStore store = StateStore.open("jdbc:h2:mem:catalog-coupling-" + System.nanoTime());
    private final CatalogRecorder recorder = new CatalogRecorder("gw-1:8080", store,
            Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));

    @AfterEach
    void close() {
        recorder.close();
        store.close();
    }

    private void served(String path, String clientKey) {
        recorder.onComplete(new Outcome("id", "GET", path, Outcome.UNROUTED, Stage.MONOLITH, "monolith", 200, 1_000_000, 0, 10,
                Optional.empty(), Optional.empty(), clientKey));
    }

    @Test
    void aTemplateIsRegroupedWhenANewEndpointMovesTheCommonPrefix() {
        served("/shop/api/orders/1/lines", "first");
        assertThat(recorder.coupling().sessionsWith("/shop/api/orders")).isEqualTo(1); // the only endpoint: named past its own prefix

        served("/shop/web/home", "second"); // the common prefix is now /shop
        served("/shop/api/orders/2/lines", "second");
        Affinity coupling = recorder.coupling();
        assertThat(coupling.sessionsWithBoth("/shop/web", "/shop/api")).isEqualTo(1);
        assertThat(coupling.sessionsWith("/shop/api/orders")).isEqualTo(1); // the first session keeps what it was counted under
    }
}
