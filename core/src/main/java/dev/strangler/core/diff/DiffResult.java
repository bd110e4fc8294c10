package dev.strangler.core.diff;

import java.util.List;

/**
 * The outcome of comparing two responses: the differences in a deterministic order (status, the
 * compared headers in the order the options list them, then the body: JSON differences in the
 * monolith's document order, each object's extra members after its own), at most
 * {@link DiffOptions#maxDifferences()} of them.
 *
 * @param differences  the reported differences, in order
 * @param truncated    whether more differences existed than were reported
 */
public record DiffResult(List<Difference> differences, boolean truncated) {
    public static final DiffResult MATCH = new DiffResult(List.of(), false);

    public DiffResult {
        differences = List.copyOf(differences);
        if (truncated && differences.isEmpty())
            throw new IllegalArgumentException("a truncated result reports at least one difference");
    }

    /** Whether the two responses agree on everything compared. */
    public boolean matches() {
        return differences.isEmpty();
    }
}
