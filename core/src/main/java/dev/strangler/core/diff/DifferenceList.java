package dev.strangler.core.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects differences up to the cap; past it, remembers only that some were left out. */
final class DifferenceList {
    private final int max;
    private final int maxValueLength;
    private final List<Difference> differences = new ArrayList<>();
    private boolean truncated;

    DifferenceList(DiffOptions options) {
        this.max = options.maxDifferences();
        this.maxValueLength = options.maxValueLength();
    }

    /** Adds a difference, cutting its values; returns false once the cap is reached and nothing more is wanted. */
    boolean add(String path, DiffKind kind, String monolithValue, String serviceValue) {
        if (differences.size() >= max) {
            truncated = true;
            return false;
        }
        differences.add(new Difference(path, kind, cut(monolithValue), cut(serviceValue)));
        return true;
    }

    boolean isFull() {
        return truncated;
    }

    private Optional<String> cut(String value) {
        if (value == null)
            return Optional.empty();
        if (value.length() <= maxValueLength)
            return Optional.of(value);
        int end = maxValueLength;
        if (Character.isHighSurrogate(value.charAt(end - 1)))
            end--;
        return Optional.of(value.substring(0, end) + "…");
    }

    DiffResult result() {
        return differences.isEmpty() ? DiffResult.MATCH : new DiffResult(differences, truncated);
    }
}
