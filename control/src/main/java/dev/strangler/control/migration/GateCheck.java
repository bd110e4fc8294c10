package dev.strangler.control.migration;

import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.Refusal;
import dev.strangler.core.routing.Route;
import dev.strangler.store.RouteState;

import java.util.Optional;

/**
 * The gates, asked before a person moves a route forward: a promote the controller would not make
 * because a gate fails (a poor shadow match rate, service errors beyond the allowance) is refused
 * naming the gate and its numbers, unless forced. Kept behind an interface so {@link Migration}
 * does not depend on how evidence is gathered (the controller's package does that).
 */
@FunctionalInterface
public interface GateCheck {
    /** Lets every move through: for tools and tests that have no metric windows. */
    GateCheck NONE = (route, state, to) -> Optional.empty();

    /**
     * Why moving {@code route} from {@code state} forward to {@code to} is refused by a failing gate;
     * empty when no gate fails (too little data is not a failure). Blocking: reads the store.
     */
    Optional<Refusal> check(Route route, RouteState state, Position to);
}
