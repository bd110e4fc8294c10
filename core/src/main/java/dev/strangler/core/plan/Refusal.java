package dev.strangler.core.plan;

import java.util.Objects;

/**
 * Why a move between two positions is not allowed as asked.
 *
 * @param reason what is wrong with the move, in a sentence
 * @param hint   how to get what was meant (the step-by-step way, or {@code force})
 */
public record Refusal(Position from, Position to, String reason, String hint) {
    public Refusal {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(hint, "hint");
    }
}
