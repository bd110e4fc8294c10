package dev.strangler.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The controller's batch calls on PostgreSQL, a schema of its own per test; skipped, saying why, without PostgreSQL. */
class PostgresControllerBatchTest extends ControllerBatchContract {

    @RegisterExtension
    final PostgresSchema.PerTest postgres = new PostgresSchema.PerTest();

    @Override
    String url() {
        return postgres.url();
    }
}
