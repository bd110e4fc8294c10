package dev.strangler.store;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Hears, through PostgreSQL's LISTEN/NOTIFY, that some process sharing the store changed a route
 * state, and tells the local listeners.
 *
 * <p>One dedicated connection (not from the pool: it is held for as long as the store is open)
 * and one thread that polls it. Writers notify channel {@value #CHANNEL} inside the transaction of
 * the change, so the notice is delivered at commit and only if it commits. The payload is
 * {@code schema/route}: channels are per database, and stores in different schemas of one database
 * (parallel test runs, two fleets) must not wake each other.
 *
 * <p>When the connection breaks (a database restart), the thread reconnects with a growing pause,
 * and after reconnecting calls the listeners once, since notices sent meanwhile were lost.
 */
final class PostgresChangeFeed implements AutoCloseable {

    static final String CHANNEL = "strangler_state";

    private static final Logger log = LoggerFactory.getLogger(PostgresChangeFeed.class);
    private static final int POLL_MILLIS = 250;
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long MAX_RETRY_MILLIS = 5_000;

    private final StoreUrl url;
    private final Reachability reachability;
    private final Runnable onChange;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;

    PostgresChangeFeed(StoreUrl url, Reachability reachability, Runnable onChange) {
        this.url = url;
        this.reachability = reachability;
        this.onChange = onChange;
        this.thread = Thread.ofPlatform().daemon().name("strangler-store-listen").unstarted(this::listen);
    }

    /** Starts listening; blocks until the first LISTEN is in place or the first connection attempt failed. */
    void start() {
        thread.start();
        try {
            firstAttempt.await(StoreUrl.CONNECT_TIMEOUT_SECONDS * 2L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen() {
        boolean missed = false;
        long retryMillis = FIRST_RETRY_MILLIS;
        while (!closed) {
            try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.connectDefaults());
                 Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                String prefix = currentSchema(statement) + "/";
                reachability.answered();
                firstAttempt.countDown();
                if (missed) {
                    log.info("State store notifications resumed on {}", url.redacted());
                    onChange.run();
                    missed = false;
                }
                retryMillis = FIRST_RETRY_MILLIS;
                PGConnection notices = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received = notices.getNotifications(POLL_MILLIS);
                    if (received != null && anyFor(prefix, received)) onChange.run();
                }
            } catch (SQLException e) {
                firstAttempt.countDown();
                if (closed) return;
                if (!missed) log.warn("State store notifications lost on {}; reconnecting: {}", url.redacted(),
                        e.getMessage());
                missed = true;
                reachability.failed(e);
                try {
                    Thread.sleep(retryMillis);
                } catch (InterruptedException interrupted) {
                    return;
                }
                retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
            }
        }
    }

    static String currentSchema(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT coalesce(current_schema(), '')")) {
            row.next();
            return row.getString(1);
        }
    }

    private static boolean anyFor(String prefix, PGNotification[] received) {
        for (PGNotification notice : received) {
            if (notice.getParameter().startsWith(prefix)) return true;
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(POLL_MILLIS * 8L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
