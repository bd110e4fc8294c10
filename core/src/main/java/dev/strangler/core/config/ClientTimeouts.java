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
 */
public record ClientTimeouts(Duration headerTimeout, Duration idleTimeout, Duration bodyIdleTimeout) {
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
