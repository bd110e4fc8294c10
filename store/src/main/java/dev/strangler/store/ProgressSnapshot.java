package dev.strangler.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How much of the migration stood at one stage at one moment: one row of the progress line.
 *
 * @param stage     a route stage's config name ({@code shadow}, {@code canary}...), or {@link #UNCLAIMED}
 *                  for endpoints that no route claims
 * @param routes    routes at that stage (0 for {@link #UNCLAIMED})
 * @param endpoints learned endpoints at that stage
 * @param requests  requests those endpoints have had since they were first seen
 * @param bytes     request and response bytes of those endpoints
 */
public record ProgressSnapshot(Instant takenAt, String stage, int routes, long endpoints, long requests, long bytes) {
    /** The stage name of endpoints that no route claims. */
    public static final String UNCLAIMED = "unclaimed";

    public ProgressSnapshot {
        takenAt = Objects.requireNonNull(takenAt, "takenAt").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(stage, "stage");
        if (stage.isEmpty() || stage.length() > 16) {
            throw new IllegalArgumentException("stage: \"" + stage + "\" (expected: 1..16 characters)");
        }
        if (routes < 0 || endpoints < 0 || requests < 0 || bytes < 0) {
            throw new IllegalArgumentException("routes, endpoints, requests, bytes: " + routes + ", " + endpoints + ", "
                    + requests + ", " + bytes + " (expected: >= 0)");
        }
    }
}
