package dev.strangler.gateway.proxy;

import dev.strangler.core.config.ClientTimeouts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.HashMap;
import java.util.Map;

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
 */
final class HeadDeadlines {
    private final Vertx vertx;
    private final long firstMillis;
    private final long nextMillis;
    private final Map<HttpConnection, Long> timers = new HashMap<>();

    HeadDeadlines(Vertx vertx, ClientTimeouts timeouts) {
        this.vertx = vertx;
        this.firstMillis = timeouts.headerTimeout().toMillis();
        this.nextMillis = timeouts.idleTimeout().toMillis() + timeouts.headerTimeout().toMillis();
    }

    void connected(HttpConnection connection) {
        arm(connection, firstMillis);
        connection.closeHandler(v -> cancel(connection));
    }

    /** A whole head arrived: stop the clock, and restart it once the response ends on a reusable HTTP/1.x connection. */
    void headArrived(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        cancel(connection);
        if (request.version() == HttpVersion.HTTP_2) return;
        request.response().endHandler(v -> {
            if (request.response().getStatusCode() != 101) arm(connection, nextMillis);
        });
    }

    private void arm(HttpConnection connection, long millis) {
        cancel(connection);
        timers.put(connection, vertx.setTimer(Math.max(1, millis), id -> {
            timers.remove(connection);
            connection.close();
        }));
    }

    private void cancel(HttpConnection connection) {
        Long timer = timers.remove(connection);
        if (timer != null) vertx.cancelTimer(timer);
    }
}
