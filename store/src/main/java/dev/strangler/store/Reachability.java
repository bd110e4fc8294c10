package dev.strangler.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What the store last learned about its database, from any thread that talked to it; read by
 * {@code /health}. A failure that still came from the database (a constraint, a bad value) is
 * recorded as the last error but leaves it reachable; only a lost or refused connection does not.
 */
final class Reachability {

    private final Clock clock;
    private final String redactedUrl;
    private boolean reachable = true;
    private Instant since;
    private String lastError;

    Reachability(Clock clock, String redactedUrl) {
        this.clock = clock;
        this.redactedUrl = redactedUrl;
    }

    synchronized void answered() {
        reachable = true;
        since = null;
    }

    synchronized void failed(Throwable failure) {
        lastError = failure instanceof StoreException ? failure.getMessage()
                : StoreException.of("talking to the database", redactedUrl, failure).getMessage();
        if (!connectionLost(failure)) {
            answered();
            return;
        }
        if (reachable) since = clock.instant();
        reachable = false;
    }

    synchronized StoreHealth health() {
        return new StoreHealth(reachable, Optional.ofNullable(since), Optional.ofNullable(lastError));
    }

    /** A refused, timed-out or broken connection, as opposed to an error the database answered with. */
    static boolean connectionLost(Throwable failure) {
        return StoreException.causeChain(failure).anyMatch(t -> t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
                || t instanceof java.io.IOException
                || t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08"));
    }
}
