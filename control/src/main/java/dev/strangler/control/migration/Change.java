package dev.strangler.control.migration;

import dev.strangler.store.AuditEntry;
import dev.strangler.store.RouteState;

import java.util.Objects;

/** A change that was made: the route's new state and the audit entry that records it. */
public record Change(RouteState state, AuditEntry audit) {
    public Change {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(audit, "audit");
    }
}
