package dev.strangler.core.shadow;

/** How a differing path is judged: a real disagreement, or noise the monolith makes on its own. */
public enum NoiseClass {
    /** A difference to look at: the service disagrees with the monolith. */
    REAL,
    /**
     * Not confirmed by monolith pairs, but differs in nearly every comparison with values that look
     * random (ids, tokens, timestamps, numbers that never repeat). Reported apart, still counted.
     */
    PROBABLE_NOISE,
    /** The monolith differs from itself at this path: not counted against the service. */
    NOISE_CONFIRMED
}
