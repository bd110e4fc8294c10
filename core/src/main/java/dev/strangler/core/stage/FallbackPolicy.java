package dev.strangler.core.stage;

/**
 * Which requests of a route answered by the service may be retried once on the monolith when the
 * service cannot be connected to or times out before sending anything ({@code fallback:} in the
 * config).
 *
 * <p>Fallback buys availability and costs consistency: once a resource's writes are served by the
 * service, the monolith no longer sees them, and a read it answers may be stale or missing (a record
 * created on the service answered 404). {@link #NONE} trades the availability back for
 * consistency; {@link StaleReadRisk} finds the routes where the question arises.
 */
public enum FallbackPolicy {
    /** GET, HEAD and OPTIONS only: retrying them cannot repeat a side effect. The default. */
    SAFE,
    /** Every method, for routes whose writes are idempotent. */
    ALL,
    /** No request falls back, not even a read: the service's failure is the user's answer. */
    NONE;

    public boolean allows(String method) {
        return switch (this) {
            case ALL -> true;
            case NONE -> false;
            case SAFE -> method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        };
    }

    /** The word the config file uses. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The policy the config file's word names ({@code safe}, {@code all}, {@code none}; exact case), if any. */
    public static java.util.Optional<FallbackPolicy> fromConfigName(String word) {
        return java.util.Arrays.stream(values()).filter(p -> p.configName().equals(word)).findFirst();
    }
}
