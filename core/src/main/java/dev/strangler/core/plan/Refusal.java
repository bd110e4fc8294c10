package dev.strangler.core.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a move between two positions is not allowed as asked.
 *
 * @param reason what is wrong with the move, in a sentence (with the numbers, when a gate refused it)
 * @param hint   a command that gets what was meant (the step-by-step way, another command, or
 *               {@code --force}); every hint names a command that works from where the route is
 * @param gate   the gate that failed, by its config key ({@code min-match-rate},
 *               {@code max-error-increase}, ...), when the gates refused the move rather than the
 *               transition rules
 */
public record Refusal(Position from, Position to, String reason, String hint, Optional<String> gate) {
    public Refusal {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(gate, "gate");
    }

    /** A refusal by the transition rules (no gate involved). */
    public Refusal(Position from, Position to, String reason, String hint) {
        this(from, to, reason, hint, Optional.empty());
    }
}
