package dev.strangler.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The controller's batch calls on PostgreSQL, a schema of its own per test; skipped, saying why, without PostgreSQL. */
class PostgresControllerBatchTest extends ControllerBatchContract {

    private PostgresSchema schema;

    @BeforeEach
    void createSchema() {
        schema = PostgresSchema.create();
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) schema.close();
    }

    @Override
    String url() {
        return schema.url();
    }
}
