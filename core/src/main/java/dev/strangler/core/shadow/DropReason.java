package dev.strangler.core.shadow;

/** Why a request that should have been shadowed was not compared. */
public enum DropReason {
    /** The shadow queue was full: the copy was not sent, to protect the user's request. */
    QUEUE_FULL,
    /** A body was larger than the shadow stage keeps in memory. */
    BODY_TOO_LARGE,
    /** The request was not safe to send twice (a write), so it was not shadowed. */
    WRITE_NOT_SHADOWED,
    /** The service could not be reached or reset the connection. */
    SERVICE_FAILED,
    /** The service did not answer in time. */
    TIMEOUT,
    /** The service refused connections a moment ago, so copies pause briefly instead of trying each time. */
    SERVICE_DOWN,
    /** The monolith's own answer did not complete (error, reset, client gone): nothing to compare with. */
    MONOLITH_FAILED;

    /** The kebab-case name used in metrics and the API ({@code queue-full}, ...). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static java.util.Optional<DropReason> fromLabel(String label) {
        for (DropReason r : values()) if (r.label().equals(label)) return java.util.Optional.of(r);
        return java.util.Optional.empty();
    }
}
