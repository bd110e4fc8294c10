package dev.strangler.core.gates;

import java.util.Objects;

/**
 * The outcome of a {@link MannWhitneyTest}. Medians are of the raw samples (the monolith's before
 * scaling by the allowed increase). When the verdict is {@link Verdict#NOT_ENOUGH_DATA}, {@code u},
 * {@code z} and {@code pValue} are NaN: no test was run.
 *
 * @param u the Mann-Whitney U of the service sample against the scaled monolith sample
 * @param explanation one line for the audit log saying what was compared and why it was decided
 */
public record LatencyResult(Verdict verdict, double u, double z, double pValue, double serviceMedian,
                            double monolithMedian, String explanation) {
    public LatencyResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(explanation, "explanation");
    }
}
