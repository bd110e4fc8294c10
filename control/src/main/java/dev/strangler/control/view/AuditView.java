package dev.strangler.control.view;

import dev.strangler.store.AuditEntry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One audited change as people read it; {@code from} is empty on creation, {@code to} for an entry that moved nothing. */
public record AuditView(long id, Instant at, String route, String actor, String action, Optional<PositionView> from,
                        Optional<PositionView> to, String reason, List<String> evidence) {
    public AuditView {
        evidence = List.copyOf(evidence);
    }

    public static AuditView of(AuditEntry e) {
        return new AuditView(e.id(), e.at(), e.route(), e.actor(), e.action(),
                Optional.ofNullable(e.fromStage()).map(s -> PositionView.of(s, e.fromPercent())),
                Optional.ofNullable(e.toStage()).map(s -> PositionView.of(s, e.toPercent())), e.reason(), e.evidence());
    }
}
