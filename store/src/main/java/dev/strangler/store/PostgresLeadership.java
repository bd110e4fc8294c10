package dev.strangler.store;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A role held through a session-level {@code pg_try_advisory_lock} on a dedicated connection (not
 * from the pool, which would hand the session to other work). The lock lives exactly as long as
 * that session, so the role passes on when the holder closes, dies or loses the database.
 *
 * <p>The lock key is a hash of the schema and the role: advisory locks are per database, and
 * stores in different schemas are different fleets.
 */
final class PostgresLeadership implements Leadership {

    private static final int VALIDATION_SECONDS = 2;

    private final StoreUrl url;
    private final String role;
    private final Reachability reachability;
    private Connection connection;
    private long key;
    private boolean held;
    private boolean closed;

    PostgresLeadership(StoreUrl url, String role, Reachability reachability) {
        this.url = url;
        this.role = role;
        this.reachability = reachability;
    }

    @Override
    public synchronized boolean tryHold() {
        if (closed) return false;
        try {
            if (connection != null && !connection.isValid(VALIDATION_SECONDS)) {
                // The session is gone, and the lock with it: report the loss now, reacquire on the next call.
                disconnect();
                if (held) {
                    held = false;
                    return false;
                }
            }
            if (held) return true;
            if (connection == null) connect();
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, key);
                try (ResultSet row = lock.executeQuery()) {
                    row.next();
                    held = row.getBoolean(1);
                }
            }
            reachability.answered();
        } catch (SQLException | RuntimeException e) {
            disconnect();
            held = false;
            reachability.failed(e);
        }
        return held;
    }

    @Override
    public synchronized boolean held() {
        return held;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (held) unlockQuietly();
        held = false;
        disconnect(); // ending the session releases its advisory locks too, but asynchronously on the server
    }

    /** Released at once, so another process's next tryHold succeeds without waiting for the session to end. */
    private void unlockQuietly() {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, key);
            unlock.execute();
        } catch (SQLException ignored) {
            // a broken session holds no lock
        }
    }

    private void connect() throws SQLException {
        connection = DriverManager.getConnection(url.jdbcUrl(), url.connectDefaults());
        try (Statement statement = connection.createStatement()) {
            key = lockKey(PostgresChangeFeed.currentSchema(statement) + "/" + role);
        }
    }

    private void disconnect() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken session: nothing left to release
        }
        connection = null;
    }

    static long lockKey(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("strangler/" + name).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
