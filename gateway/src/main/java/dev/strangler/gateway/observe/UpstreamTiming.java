package dev.strangler.gateway.observe;

/**
 * When the current attempt to a backend started, got its connection and got its response head.
 * Set by the exchange on its event loop and read when it finishes, on the same loop, so it needs no
 * synchronization. A fallback starts a new attempt: the times are then the monolith's.
 */
public final class UpstreamTiming {
    private long attemptStart = -1;
    private long connected = -1;
    private long answered = -1;

    public void attemptStarted() {
        attemptStart = System.nanoTime();
        connected = -1;
        answered = -1;
    }

    /** A connection to the backend was obtained (from the pool, or newly opened). */
    public void connected() {
        if (attemptStart >= 0) connected = System.nanoTime();
    }

    /** The backend's response head arrived. */
    public void answered() {
        if (attemptStart >= 0) answered = System.nanoTime();
    }

    /** From the attempt's start to its connection, or -1 when it never got one. */
    long connectNanos() {
        return connected < 0 ? -1 : connected - attemptStart;
    }

    /** From the attempt's start to the response head (first byte), or -1 when none came. */
    long responseNanos() {
        return answered < 0 ? -1 : answered - attemptStart;
    }
}
