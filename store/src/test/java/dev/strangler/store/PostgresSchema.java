package dev.strangler.store;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A schema of its own in the test PostgreSQL for one test, so tests (and parallel builds) never see
 * each other's rows, notifications or locks. Skips the test, saying why, when PostgreSQL is not
 * reachable. The server is {@code STRANGLER_TEST_PG_URL}, by default the local trust-auth one.
 * A test class gets one per test with {@link PerTest}.
 */
final class PostgresSchema implements AutoCloseable {

    /**
     * A fresh schema before each test of the class that registers it, dropped after:
     * {@code @RegisterExtension final PostgresSchema.PerTest postgres = new PostgresSchema.PerTest();}.
     */
    static final class PerTest implements BeforeEachCallback, AfterEachCallback {
        private PostgresSchema schema;

        @Override
        public void beforeEach(ExtensionContext context) {
            schema = create();
        }

        @Override
        public void afterEach(ExtensionContext context) throws SQLException {
            if (schema != null) schema.close();
            schema = null;
        }

        /** The current test's schema. */
        PostgresSchema schema() {
            if (schema == null) throw new IllegalStateException("no schema outside a test (register PerTest with @RegisterExtension)");
            return schema;
        }

        String url() {
            return schema().url();
        }
    }

    static final String SERVER_URL = System.getenv().getOrDefault("STRANGLER_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    final String name = "strangler_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    /** Skips the calling test when PostgreSQL does not answer. */
    static PostgresSchema create() {
        try {
            connect().close();
            return new PostgresSchema();
        } catch (SQLException e) {
            assumeTrue(false, "PostgreSQL tests skipped: no PostgreSQL at " + SERVER_URL + " (" + e.getMessage()
                    + "). Start one, or set STRANGLER_TEST_PG_URL.");
            throw new AssertionError("unreachable");
        }
    }

    /**
     * The store URL: the server with this schema as the current one (the store creates it), and the
     * schema's name as the sessions' application name, so a test can find its own sessions.
     */
    String url() {
        return SERVER_URL + (SERVER_URL.contains("?") ? "&" : "?") + "currentSchema=" + name + "&ApplicationName=" + name;
    }

    /** Runs SQL as another client of the same server, for example to end a session as a restart would. */
    void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    private static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(SERVER_URL, properties);
    }
}
