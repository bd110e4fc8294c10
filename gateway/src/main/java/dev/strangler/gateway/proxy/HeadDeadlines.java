package dev.strangler.gateway.proxy;

import dev.strangler.core.config.ClientTimeouts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Closes connections whose request head does not arrive in time: the defence against slowloris
 * (a head trickled a byte at a time keeps the connection from ever being idle, so the idle timeout
 * alone never fires).
 *
 * <p>A new connection must deliver its first head within {@code client.header-timeout} from the
 * moment the HTTP stack hands the connection over: at accept, or after the TLS handshake; on a
 * cleartext listener that also accepts h2c, only once the first head is whole (see
 * {@link dev.strangler.core.config.ClientTimeouts#cleartextHttp2()}), so there the deadline starts
 * with the second head. On an
 * HTTP/1.x keep-alive connection the clock restarts when a response ends, with
 * {@code idle-timeout + header-timeout}: the server cannot see when the next head's first byte
 * arrives, so the bound covers the allowed idle time and then the head. HTTP/2 streams share one
 * connection; after its first request only the idle timeout applies to it. Upgraded (tunnelled)
 * connections are left alone. One instance per event loop; not thread-safe.
 *
 * <h2>One sweep, not a timer per request</h2>
 * Each connection keeps the time its next head is due by; one periodic timer per event loop closes
 * those past it. A timer armed and cancelled per request cost every request a scheduled task, a
 * timer-map entry and two hash-map updates (about 5 % of the event loop's time under
 * {@code bench/proxy.sh}). The price is precision: a connection is closed up to one sweep period
 * ({@link #sweepMillis}: a quarter of the shortest deadline, between 10 ms and 1 s) after its
 * deadline.
 */
final class HeadDeadlines {
    /** A connection with no head due: between a head's arrival and its response's end, or upgraded. */
    private static final long NONE = Long.MAX_VALUE;

    private final LongSupplier nanoTime;
    private final long firstNanos;
    private final long nextNanos;
    private final Map<HttpConnection, Deadline> deadlines = new HashMap<>();

    /** When a connection's next head must be whole ({@link System#nanoTime()} scale), or {@link #NONE}. */
    static final class Deadline {
        long due;

        Deadline(long due) {
            this.due = due;
        }
    }

    /** Call on the event loop that serves the connections: the sweep runs there. */
    HeadDeadlines(Vertx vertx, ClientTimeouts timeouts) {
        this(vertx, timeouts, System::nanoTime);
    }

    HeadDeadlines(Vertx vertx, ClientTimeouts timeouts, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        long firstMillis = Math.max(1, timeouts.headerTimeout().toMillis());
        long nextMillis = Math.max(1, timeouts.idleTimeout().toMillis() + timeouts.headerTimeout().toMillis());
        this.firstNanos = TimeUnit.MILLISECONDS.toNanos(firstMillis);
        this.nextNanos = TimeUnit.MILLISECONDS.toNanos(nextMillis);
        vertx.setPeriodic(sweepMillis(firstMillis), id -> sweep());
    }

    /** The sweep's period: a quarter of the shorter deadline, at least 10 ms and at most 1 s. */
    static long sweepMillis(long shortestDeadlineMillis) {
        return Math.clamp(shortestDeadlineMillis / 4, 10, 1_000);
    }

    /** Watches {@code connection} from now; returns its deadline, for a server that tells {@link #headArrived(Deadline)} itself. */
    Deadline connected(HttpConnection connection) {
        Deadline deadline = new Deadline(nanoTime.getAsLong() + firstNanos);
        deadlines.put(connection, deadline);
        connection.closeHandler(v -> deadlines.remove(connection));
        return deadline;
    }

    /** A whole head arrived on the HTTP/1.1 connection of {@code deadline} (the own server's): the clock stops. */
    void headArrived(Deadline deadline) {
        deadline.due = NONE;
    }

    /** The response to that head ended, and the connection is kept: the next head is due within idle + header timeout. */
    void responseEnded(Deadline deadline) {
        deadline.due = nanoTime.getAsLong() + nextNanos;
    }

    /** {@code connection} is no longer watched here (its requests are served on another of the channel's connections). */
    void forget(HttpConnection connection) {
        deadlines.remove(connection);
    }

    /** A whole head arrived: stop the clock, and restart it once the response ends on a reusable HTTP/1.x connection. */
    void headArrived(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        if (request.version() == HttpVersion.HTTP_2) {
            deadlines.remove(connection);
            return;
        }
        Deadline deadline = deadlines.get(connection);
        if (deadline == null) return; // closed already
        deadline.due = NONE;
        request.response().endHandler(v -> {
            if (request.response().getStatusCode() != 101) deadline.due = nanoTime.getAsLong() + nextNanos;
        });
    }

    /** Closes the connections whose head is overdue. */
    void sweep() {
        long now = nanoTime.getAsLong();
        List<HttpConnection> overdue = null;
        for (Map.Entry<HttpConnection, Deadline> e : deadlines.entrySet()) {
            long due = e.getValue().due;
            if (due != NONE && now - due >= 0) {
                if (overdue == null) overdue = new ArrayList<>();
                overdue.add(e.getKey());
            }
        }
        if (overdue == null) return;
        // Closed after the walk: a close may call the close handler, which edits the map, at once.
        for (HttpConnection c : overdue) {
            deadlines.remove(c);
            c.close();
        }
    }
}
