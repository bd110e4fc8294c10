package dev.strangler.core.stage;

import dev.strangler.core.routing.Route;

import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway does with one request, computed by pure code before any I/O.
 *
 * @param route               the route that claimed the request; empty when none did
 * @param target              who answers the user
 * @param fallbackToMonolith  whether a service that cannot be connected to, or times out before
 *                            answering, may be replaced once by the monolith
 */
public record Decision(Optional<Route> route, Target target, boolean fallbackToMonolith) {
    public static final Decision UNROUTED = new Decision(Optional.empty(), Target.MONOLITH, false);

    public Decision {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(target, "target");
        if (fallbackToMonolith && target != Target.SERVICE)
            throw new IllegalArgumentException("fallback only applies when the service answers");
    }

    /** The stage that produced this decision, {@code monolith} for unrouted requests. */
    public Stage stage() {
        return route.map(Route::stage).orElse(Stage.MONOLITH);
    }
}
