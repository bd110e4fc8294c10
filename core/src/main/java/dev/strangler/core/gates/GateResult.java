package dev.strangler.core.gates;

import java.util.Objects;

/**
 * What a sequential gate concluded at one look, with the numbers behind it.
 *
 * @param estimate     the estimated difference, service minus monolith (error-rate points as a
 *                     fraction, or the log of the latency ratio); NaN with no data
 * @param allowance    the boundary it was tested against
 * @param pWorse       always-valid p-value of "not worse than allowed" (small: confidently worse)
 * @param pNotWorse    always-valid p-value of "worse than allowed" (small: confidently not worse)
 * @param explanation  one line for the audit log: what was compared and what was decided
 */
public record GateResult(Verdict verdict, double estimate, double allowance, double pWorse, double pNotWorse,
                         String explanation) {
    public GateResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(explanation, "explanation");
    }
}
