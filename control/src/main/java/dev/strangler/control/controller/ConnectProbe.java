package dev.strangler.control.controller;

import java.time.Duration;

/**
 * An active check of a service the windows say may be down: one TCP connect to its address. The
 * controller asks it only when a route's latest evidence holds requests the service gave no answer
 * to but too few for the fast path ({@link ProbeRule}); {@link VertxConnectProbe} in production, a
 * lambda in tests and in the simulation.
 */
@FunctionalInterface
public interface ConnectProbe {
    /** What one connect attempt found. */
    enum Outcome {
        CONNECTED("connected"), REFUSED("was refused"), TIMED_OUT("timed out"), FAILED("failed");

        private final String words;

        Outcome(String words) {
            this.words = words;
        }

        /** "was refused", "timed out": how the evidence says it. */
        public String words() {
            return words;
        }

        /** Whether the address could not be reached: refused, or nothing within the connect timeout. */
        public boolean unreachable() {
            return this == REFUSED || this == TIMED_OUT;
        }
    }

    /** A probe that finds every address reachable: the controller then never acts on a probe. */
    ConnectProbe NONE = (host, port, timeout) -> Outcome.CONNECTED;

    /** Tries one TCP connection to {@code host:port} within {@code timeout}, then closes it. Blocks the caller, not an event loop. */
    Outcome connect(String host, int port, Duration timeout);
}
