package dev.strangler.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * The controller's latest judgement of one route: what it decided ({@code hold}, {@code promote},
 * {@code rollback}), why in a sentence, and the evidence lines. Kept so that every gateway's API
 * shows it, not only the leader's.
 */
public record RouteDecision(String route, Instant at, String action, String summary, List<String> evidence) {
    public RouteDecision {
        Objects.requireNonNull(route, "route");
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(summary, "summary");
        evidence = evidence.stream().map(line -> line.replace('\n', ' ')).toList();
    }

    /** Whether {@code other} is the same judgement of the same route, whenever it was made. */
    public boolean sameJudgementAs(RouteDecision other) {
        return route.equals(other.route) && action.equals(other.action) && summary.equals(other.summary)
                && evidence.equals(other.evidence);
    }
}
