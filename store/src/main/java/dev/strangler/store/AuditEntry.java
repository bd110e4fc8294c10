package dev.strangler.store;

import dev.strangler.core.stage.Stage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * One audited change: who moved which route from where to where, and why. The audit log is how an
 * operator learns, after the fact, why a route is where it is.
 *
 * <p>Evidence is stored as text, one line per element, so a line break inside an element is
 * replaced by a space here: what is stored is exactly what this record holds.
 *
 * @param id        0 before it is stored; the store assigns increasing ids (newest = highest)
 * @param at        when the change was made; kept to the microsecond, as the databases store it
 * @param actor     who made it: {@code config}, {@code controller}, {@code api}, a user name...
 * @param action    what was done: {@code create}, {@code promote}, {@code rollback}, {@code pause}...
 * @param fromStage null for {@code create} (the route had no stage before)
 * @param toStage   null for an entry that is not a stage change (for example a refused config)
 * @param evidence  the facts behind the change (gate results, ...); may be empty
 */
public record AuditEntry(long id, Instant at, String route, String actor, String action,
                         Stage fromStage, double fromPercent, Stage toStage, double toPercent,
                         String reason, List<String> evidence) {

    public AuditEntry {
        if (id < 0) throw new IllegalArgumentException("id: " + id + " (expected: >= 0)");
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        evidence = Objects.requireNonNull(evidence, "evidence").stream()
                .map(line -> Objects.requireNonNull(line, "evidence line").replaceAll("\r\n|[\r\n]", " "))
                .toList();
    }

    /** The same entry with the id the store gave it. */
    public AuditEntry withId(long storedId) {
        return new AuditEntry(storedId, at, route, actor, action, fromStage, fromPercent, toStage, toPercent,
                reason, evidence);
    }
}
