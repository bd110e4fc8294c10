package dev.strangler.core.stage;

import dev.strangler.core.routing.Route;

import java.util.Objects;
import java.util.Optional;

/**
 * The whole plan for one request, computed by pure code before any I/O; the gateway carries it
 * out and does not re-decide.
 *
 * @param route               the route that claimed the request; empty when none did
 * @param target              who answers the user
 * @param fallbackToMonolith  whether a request to the service that failed before the service got
 *                            anything (refused, connect timeout), or timed out with a kept body, may be
 *                            sent once to the monolith instead ({@code live}, and {@code canary} users
 *                            sent to the service, under the route's fallback rule)
 * @param shadowCopy          whether a copy of the request goes to the service while the monolith answers
 *                            ({@code shadow}, and {@code canary} with {@code shadow.in-canary}); the gateway
 *                            may still drop the copy (writes not copied, body too large, too many in flight)
 * @param tunnel              whether the request asks for a protocol upgrade (WebSocket or another
 *                            {@code Upgrade}): the target is chosen once at the handshake and, after a
 *                            {@code 101}, bytes flow both ways unchanged; never copied
 */
public record Decision(Optional<Route> route, Target target, boolean fallbackToMonolith, boolean shadowCopy,
                       boolean tunnel) {
    public static final Decision UNROUTED = new Decision(Optional.empty(), Target.MONOLITH, false);

    public Decision {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(target, "target");
        if (fallbackToMonolith && target != Target.SERVICE)
            throw new IllegalArgumentException("fallback only applies when the service answers");
        if (shadowCopy && (target != Target.MONOLITH || route.isEmpty()))
            throw new IllegalArgumentException("a shadow copy only goes out for a route while the monolith answers");
        if (shadowCopy && tunnel)
            throw new IllegalArgumentException("an upgrade tunnel is never copied");
    }

    /** A plain request/response exchange without a shadow copy. */
    public Decision(Optional<Route> route, Target target, boolean fallbackToMonolith) {
        this(route, target, fallbackToMonolith, false, false);
    }

    /** An unrouted request: the monolith answers, tunnelled when it asks for an upgrade. */
    public static Decision unrouted(boolean tunnel) {
        return tunnel ? new Decision(Optional.empty(), Target.MONOLITH, false, false, true) : UNROUTED;
    }

    /** The stage that produced this decision, {@code monolith} for unrouted requests. */
    public Stage stage() {
        // Asked once per request: Optional.map would allocate a new Optional each time.
        return route.isPresent() ? route.get().stage() : Stage.MONOLITH;
    }
}
