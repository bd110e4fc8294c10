package dev.strangler.core.gates;

import java.util.Objects;

/**
 * The outcome of a {@link ProportionTest}: the verdict with the numbers behind it. When the verdict
 * is {@link Verdict#NOT_ENOUGH_DATA}, {@code z} and {@code pValue} are NaN: no test was run.
 *
 * @param explanation one line for the audit log saying what was compared and why it was decided
 */
public record ErrorRateResult(Verdict verdict, double serviceRate, double monolithRate, double z, double pValue,
                              String explanation) {
    public ErrorRateResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(explanation, "explanation");
    }
}
