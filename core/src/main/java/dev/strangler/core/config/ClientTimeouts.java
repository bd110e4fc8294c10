package dev.strangler.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the user listener waits on a client (config section {@code client}). Each bound stops
 * one way a slow or stalled client could hold a connection, and so a file descriptor, for ever.
 *
 * @param headerTimeout   a new connection must deliver a whole request head within this time
 *                        (slowloris); on a kept-alive connection the next head must be whole within
 *                        {@code idleTimeout + headerTimeout} of the previous response's end
 * @param idleTimeout     a connection on which nothing is read or written for this long is closed
 *                        (idle keep-alive connections included)
 * @param bodyIdleTimeout while a request body is arriving, the longest pause between two of its
 *                        parts; the upload is then abandoned (408, and the backend's request reset).
 *                        A slow upload that keeps progressing is never cut off
 * @param cleartextHttp2  whether a listener without TLS also accepts HTTP/2 (h2c: prior knowledge or
 *                        {@code Upgrade: h2c}). To tell h2c from HTTP/1.1 the HTTP stack waits for the
 *                        first whole request head before it hands over the connection, so on such a
 *                        listener the header timeout can only apply from the second head on; turn it
 *                        off to have it apply from the first byte (TLS listeners negotiate HTTP/2 by
 *                        ALPN and are not affected)
 */
public record ClientTimeouts(Duration headerTimeout, Duration idleTimeout, Duration bodyIdleTimeout, boolean cleartextHttp2) {
    /** With cleartext HTTP/2 accepted. */
    public ClientTimeouts(Duration headerTimeout, Duration idleTimeout, Duration bodyIdleTimeout) {
        this(headerTimeout, idleTimeout, bodyIdleTimeout, true);
    }

    public ClientTimeouts withCleartextHttp2(boolean enabled) {
        return new ClientTimeouts(headerTimeout, idleTimeout, bodyIdleTimeout, enabled);
    }

    public ClientTimeouts {
        positive(headerTimeout, "headerTimeout");
        positive(idleTimeout, "idleTimeout");
        positive(bodyIdleTimeout, "bodyIdleTimeout");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
}
