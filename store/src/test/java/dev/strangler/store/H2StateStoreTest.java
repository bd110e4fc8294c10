package dev.strangler.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract on an embedded H2 file, the default store of a single gateway. */
class H2StateStoreTest extends StateStoreContract {

    @TempDir
    Path directory;

    @Override
    String url() {
        return "jdbc:h2:file:" + directory.resolve("state");
    }

    @Test
    void anH2StoreIsNotSharedAndHoldsEveryRole() {
        try (StateStore store = StateStore.open(url())) {
            Leadership leadership = store.leadership("controller");

            assertThat(store.shared()).isFalse();
            assertThat(leadership.held()).isFalse();
            assertThat(leadership.tryHold()).isTrue();
            assertThat(leadership.held()).isTrue();
            leadership.close();
            assertThat(leadership.tryHold()).isFalse();
        }
    }

    @Test
    void anInMemoryStoreKeepsItsDataAcrossPooledConnections() {
        try (StateStore store = StateStore.open("jdbc:h2:mem:store-test-" + System.nanoTime())) {
            store.create(Fixtures.state("posts", dev.strangler.core.stage.Stage.SHADOW, 0, 0),
                    Fixtures.creation("posts", dev.strangler.core.stage.Stage.SHADOW));
            assertThat(store.routeStates()).hasSize(1);
        }
    }
}
