package dev.strangler.store;

import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.strangler.store.Fixtures.creation;
import static dev.strangler.store.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

/** The contract on PostgreSQL, plus what only a store shared by a fleet does: notices and leadership across processes. */
class PostgresStateStoreTest extends StateStoreContract {

    @RegisterExtension
    final PostgresSchema.PerTest postgres = new PostgresSchema.PerTest();

    @Override
    String url() {
        return postgres.url();
    }

    @Test
    void aPostgresStoreIsShared() {
        try (StateStore store = StateStore.open(url())) {
            assertThat(store.shared()).isTrue();
        }
    }

    @Test
    void aChangeThroughOneStoreCallsTheOtherStoresListenerWithinOneSecond() throws Exception {
        try (StateStore writer = StateStore.open(url()); StateStore reader = StateStore.open(url())) {
            // A listener means "something changed, read again": notices that arrive together may make one call.
            Semaphore heard = new Semaphore(0);
            reader.onChange(heard::release);

            writer.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW));
            assertThat(heard.tryAcquire(1, TimeUnit.SECONDS)).as("create heard within 1 s").isTrue();
            writer.compareAndSet(1, state("posts", Stage.CANARY, 5, 0), null);
            assertThat(heard.tryAcquire(1, TimeUnit.SECONDS)).as("change heard within 1 s").isTrue();
        }
    }

    @Test
    void aStoreInAnotherSchemaOfTheSameDatabaseHearsNothing() throws Exception {
        try (PostgresSchema otherSchema = PostgresSchema.create();
             StateStore other = StateStore.open(otherSchema.url());
             StateStore writer = StateStore.open(url());
             StateStore reader = StateStore.open(url())) {
            CountDownLatch otherHeard = new CountDownLatch(1);
            CountDownLatch readerHeard = new CountDownLatch(1);
            other.onChange(otherHeard::countDown);
            reader.onChange(readerHeard::countDown);

            writer.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW));

            assertThat(readerHeard.await(1, TimeUnit.SECONDS)).isTrue();
            assertThat(otherHeard.await(300, TimeUnit.MILLISECONDS)).isFalse();
        }
    }

    @Test
    void ofTwoStoresExactlyOneHoldsTheRoleAndTheOtherTakesItWhenTheHolderCloses() {
        try (StateStore first = StateStore.open(url()); StateStore second = StateStore.open(url())) {
            Leadership a = first.leadership("controller");
            Leadership b = second.leadership("controller");

            boolean aHolds = a.tryHold();
            boolean bHolds = b.tryHold();

            assertThat(aHolds ^ bHolds).as("exactly one holds: a=%s b=%s", aHolds, bHolds).isTrue();
            assertThat(a.tryHold()).isEqualTo(aHolds); // holding again keeps it
            Leadership holder = aHolds ? a : b;
            Leadership other = aHolds ? b : a;
            holder.close();
            assertThat(other.tryHold()).isTrue();
            assertThat(other.held()).isTrue();
            assertThat(first.leadership("another role").tryHold()).isTrue();
        }
    }

    @Test
    void aLeaderWhoseSessionIsKilledLosesTheRoleThenTakesItBack() throws Exception {
        try (StateStore store = StateStore.open(url())) {
            Leadership leadership = store.leadership("controller");
            assertThat(leadership.tryHold()).isTrue();

            // As a database restart would: the session holding the lock ends.
            long key = PostgresLeadership.lockKey(postgres.schema().name + "/controller");
            postgres.schema().execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND classid::bigint = " + (key >>> 32) + " AND objid::bigint = " + (key & 0xFFFFFFFFL));

            assertThat(leadership.tryHold()).as("the lock went with the session").isFalse();
            assertThat(leadership.held()).isFalse();
            assertThat(eventually(leadership::tryHold)).as("taken back on a later call").isTrue();
        }
    }

    @Test
    void aListenerIsCalledAfterItsNoticeConnectionIsRestoredSinceNoticesMayHaveBeenMissed() throws Exception {
        try (StateStore store = StateStore.open(url())) {
            CountDownLatch heard = new CountDownLatch(1);
            store.onChange(heard::countDown);

            // As a database restart would: the session listening for notices ends (it is the one whose last query
            // read the schema; pooled sessions never run that alone).
            postgres.schema().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + postgres.schema().name + "' AND query LIKE 'SELECT coalesce(current_schema()%'");

            assertThat(heard.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(store.health().reachable()).isTrue();
        }
    }

    /** Waits on a condition, not a clock: the server ends a killed session asynchronously. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(50);
        }
        return false;
    }
}
