package dev.strangler.control.testing;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * A private schema on the PostgreSQL CI uses (127.0.0.1:5432, database test, trust auth), or a
 * skipped test saying why when none is reachable.
 */
public final class Postgres implements AutoCloseable {
    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String schema;

    private Postgres(String schema) {
        this.schema = schema;
    }

    /** Creates a fresh schema, or skips the calling test when PostgreSQL is not reachable. */
    public static Postgres schemaOrSkip() {
        String schema = "strangler_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (Exception e) {
            Assumptions.abort("PostgreSQL is not reachable at 127.0.0.1:5432 (database test, user postgres): " + e.getMessage()
                    + " — start it to run the fleet tests");
        }
        return new Postgres(schema);
    }

    /** The store URL of this schema, through {@code host:port} (a proxy in outage tests). */
    public String url(String hostPort) {
        return "jdbc:postgresql://" + hostPort + "/test?user=postgres&currentSchema=" + schema;
    }

    public String url() {
        return url("127.0.0.1:5432");
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (Exception ignored) {
            // best effort: a leftover schema in a test database harms nothing
        }
    }
}
