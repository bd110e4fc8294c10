package dev.strangler.core.diff;

import java.util.List;
import java.util.Set;

/**
 * The outcome of comparing two responses: the differences in a deterministic order (status, the
 * compared headers in the order the options list them, then the body: JSON differences in the
 * monolith's document order, each object's extra members after its own), at most
 * {@link DiffOptions#maxDifferences()} of them.
 *
 * @param differences    the reported differences, in order
 * @param truncated      whether more differences existed than were reported
 * @param presentPaths   the paths both responses had, array indexes as {@code [*]} ({@code status},
 *                       {@code header:Name}, {@code body} for a body not compared as JSON, {@code $...}
 *                       for JSON nodes), at most {@link ResponseDiffer#MAX_PRESENT_PATHS}; recorded only
 *                       by {@link ResponseDiffer#diffRecordingPresence}, empty otherwise. The noise filter
 *                       needs them to count a path's evidence over the pairs in which it existed.
 */
public record DiffResult(List<Difference> differences, boolean truncated, Set<String> presentPaths) {
    public static final DiffResult MATCH = new DiffResult(List.of(), false);

    public DiffResult {
        differences = List.copyOf(differences);
        presentPaths = Set.copyOf(presentPaths);
        if (truncated && differences.isEmpty())
            throw new IllegalArgumentException("a truncated result reports at least one difference");
    }

    public DiffResult(List<Difference> differences, boolean truncated) {
        this(differences, truncated, Set.of());
    }

    /** Whether the two responses agree on everything compared. */
    public boolean matches() {
        return differences.isEmpty();
    }

    /** This result with the paths both sides had. */
    public DiffResult withPresentPaths(Set<String> paths) {
        return new DiffResult(differences, truncated, paths);
    }
}
