package dev.strangler.core.stage;

/**
 * Which requests of a {@code live} route may be retried once on the monolith when the service
 * cannot be connected to or times out before sending anything.
 */
public enum FallbackPolicy {
    /** GET, HEAD and OPTIONS only: retrying them cannot repeat a side effect. The default. */
    SAFE,
    /** Every method, for routes whose writes are idempotent. */
    ALL;

    public boolean allows(String method) {
        return this == ALL || method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }
}
