package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffKind;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one differing path looked like on a route.
 *
 * @param path                  the path, array indexes as {@code [*]}, or {@value ShadowResults#OTHER_PATHS}
 *                              for paths beyond the bound
 * @param kinds                 how many differences of each kind were reported at the path
 * @param mismatches            in how many comparisons the path differed
 * @param exampleMonolithValue  the monolith's side in the latest difference, redacted
 * @param exampleServiceValue   the service's side in the latest difference, redacted
 * @param noise                 how the path is judged
 * @param noiseEvidence         what the monolith pairs said about the path (n pairs with it present, how
 *                              many differed); {@link NoiseEvidence#NONE} without noise-check
 */
public record PathStat(String path, Map<DiffKind, Long> kinds, long mismatches, Optional<String> exampleMonolithValue,
                       Optional<String> exampleServiceValue, NoiseClass noise, NoiseEvidence noiseEvidence) {
    public PathStat(String path, Map<DiffKind, Long> kinds, long mismatches, Optional<String> exampleMonolithValue,
                    Optional<String> exampleServiceValue, NoiseClass noise) {
        this(path, kinds, mismatches, exampleMonolithValue, exampleServiceValue, noise, NoiseEvidence.NONE);
    }

    public PathStat {
        Objects.requireNonNull(noiseEvidence, "noiseEvidence");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(exampleMonolithValue, "exampleMonolithValue");
        Objects.requireNonNull(exampleServiceValue, "exampleServiceValue");
        Objects.requireNonNull(noise, "noise");
        kinds = Map.copyOf(kinds);
    }
}
