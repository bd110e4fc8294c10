package dev.strangler.core.shadow;

import dev.strangler.core.diff.Difference;

import java.util.List;
import java.util.Objects;

/**
 * A kept sample with what was found in it.
 *
 * @param pair         the request and both responses, redacted
 * @param matched      whether the comparison counted as a match (no differences but confirmed noise)
 * @param differences  the differences reported for it, values redacted
 */
public record Sample(SamplePair pair, boolean matched, List<Difference> differences) {
    public Sample {
        Objects.requireNonNull(pair, "pair");
        differences = List.copyOf(differences);
    }
}
