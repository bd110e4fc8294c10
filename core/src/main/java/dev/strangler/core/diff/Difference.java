package dev.strangler.core.diff;

import java.util.Objects;
import java.util.Optional;

/**
 * One disagreement between the monolith's response and the service's.
 *
 * @param path           where: a canonical JSON path ({@code $.items[3].price}, {@code $['a.b']}),
 *                       {@code status}, {@code header:Name}, or {@code body@offset}
 * @param kind           what kind of disagreement
 * @param monolithValue  the monolith's side (compact JSON, header values, or a body excerpt starting
 *                       at the offset), truncated to {@link DiffOptions#maxValueLength()}; empty when
 *                       the monolith sent nothing there
 * @param serviceValue   the service's side, in the same form; empty when the service sent nothing there
 */
public record Difference(String path, DiffKind kind, Optional<String> monolithValue, Optional<String> serviceValue) {
    public Difference {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(monolithValue, "monolithValue");
        Objects.requireNonNull(serviceValue, "serviceValue");
    }
}
