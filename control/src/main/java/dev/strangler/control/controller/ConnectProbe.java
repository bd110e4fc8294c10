package dev.strangler.control.controller;

import java.time.Duration;
import java.util.List;

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

    /** One address of a service: what {@link #connectAll} probes. */
    record Address(String host, int port) {}

    /**
     * Probes every address and gives their outcomes in the same order. One after another here; a
     * probe that can connect concurrently overrides it, so a service of several black-holed
     * addresses holds the controller for one connect timeout, not one per address.
     */
    default List<Outcome> connectAll(List<Address> addresses, Duration timeout) {
        return addresses.stream().map(a -> connect(a.host(), a.port(), timeout)).toList();
    }
}
