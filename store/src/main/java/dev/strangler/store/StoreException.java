package dev.strangler.store;

import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The state store could not do what was asked. The message says what was being done, on which
 * database (password redacted), what went wrong and what to do about it.
 */
public final class StoreException extends RuntimeException {

    /** H2's "database may be already in use" (another process has the file open). */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Wraps a database failure: {@code doing} is a gerund phrase such as "reading the audit log". */
    static StoreException of(String doing, String redactedUrl, Throwable cause) {
        return new StoreException("store: " + doing + " failed on " + redactedUrl + ": "
                + StoreUrl.redact(causes(cause)) + ". " + hint(cause), cause);
    }

    /** Every distinct message along the cause chain: the pool's "timed out" says little without the driver's reason. */
    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder();
        causeChain(failure).forEach(t -> {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (text.indexOf(message) < 0) {
                if (!text.isEmpty()) text.append(" <- ");
                text.append(message);
            }
        });
        return text.toString();
    }

    private static String hint(Throwable failure) {
        List<SQLException> chain = causeChain(failure).filter(SQLException.class::isInstance)
                .map(SQLException.class::cast).toList();
        if (chain.stream().anyMatch(sql -> sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN)) {
            return "The H2 file is in use by another process (H2 allows one process per file): stop the other "
                    + "process, or give each its own store.url; for a fleet of gateways sharing one state, use "
                    + "PostgreSQL (store.url: jdbc:postgresql://HOST:5432/DB?user=...)";
        }
        if (Reachability.connectionLost(failure)) {
            return "Check that the database is running and reachable from this host at the address in store.url";
        }
        if (chain.stream().anyMatch(sql -> hasState(sql, "28"))) return "Check the user and password in store.url";
        if (chain.stream().anyMatch(sql -> hasState(sql, "3D") || hasState(sql, "3F"))) {
            return "Check that the database (and schema) named in store.url exist";
        }
        return "Check that the database in store.url is running and that this process may use it";
    }

    private static boolean hasState(SQLException sql, String stateClass) {
        return sql.getSQLState() != null && sql.getSQLState().startsWith(stateClass);
    }

    /** The failure and its causes, outermost first. */
    static Stream<Throwable> causeChain(Throwable failure) {
        return Stream.iterate(failure, Objects::nonNull, t -> t.getCause() == t ? null : t.getCause());
    }
}
