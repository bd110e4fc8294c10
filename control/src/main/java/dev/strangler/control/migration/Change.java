package dev.strangler.control.migration;

import dev.strangler.store.AuditEntry;
import dev.strangler.store.RouteState;

import java.util.List;
import java.util.Objects;

/**
 * A change that was made: the route's new state, the audit entry that records it, and what the
 * change risks without being refused for it (a stale-read pair it created, {@code StaleReadRisk}).
 */
public record Change(RouteState state, AuditEntry audit, List<String> warnings) {
    public Change {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(audit, "audit");
        warnings = List.copyOf(warnings);
    }

    /** A change that risks nothing worth a warning. */
    public Change(RouteState state, AuditEntry audit) {
        this(state, audit, List.of());
    }
}
