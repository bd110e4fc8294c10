package dev.strangler.store;

import java.util.Objects;

/**
 * A judgement to keep with the version of the route's state it was made on: the store keeps it only
 * while the route is still at that version ({@link StateStore#saveDecisions}). A judgement of a
 * state someone has changed since speaks of a position or a pause the route has left.
 */
public record JudgedDecision(RouteDecision decision, long stateVersion) {
    public JudgedDecision {
        Objects.requireNonNull(decision, "decision");
    }

    public String route() {
        return decision.route();
    }
}
