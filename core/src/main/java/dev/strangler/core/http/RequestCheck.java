package dev.strangler.core.http;

/** What {@link RequestRules#check} decided: forward the request as {@link Accepted} says, or refuse it. */
public sealed interface RequestCheck permits RequestCheck.Accepted, Rejection {
    /**
     * A request fit to forward.
     *
     * @param target    the normalised target: match routes on its path and forward that same path
     * @param authority the host (and port) the request is for, from an absolute-form target, else
     *                  {@code Host} / {@code :authority}; empty for an HTTP/1.0 request without one
     * @param connectionLines how many {@code Connection} field lines came: more than one are one list
     *                  (RFC 9110 §5.3), every line of which the gateway's readers read; with none or
     *                  one (nearly every request) they read the first without listing the lines
     */
    record Accepted(RequestTarget target, String authority, int connectionLines) implements RequestCheck {
        /** The authority's host in lower case, without port or IPv6 brackets' port: what host routing compares. */
        public String hostWithoutPort() {
            return Authority.hostWithoutPort(authority);
        }
    }
}
