package dev.strangler.core.shadow;

/**
 * What the monolith pairs say about one path: in how many pairs the path was there (on both answers,
 * or on one of them as a difference) and in how many of those the two answers differed at it.
 *
 * @param pairs      monolith pairs in which the path was present
 * @param differed   of those, the pairs in which it differed
 * @param confirmed  whether the path is confirmed noise now (with hysteresis: see {@link NoiseFilter})
 */
public record NoiseEvidence(long pairs, long differed, boolean confirmed) {
    public static final NoiseEvidence NONE = new NoiseEvidence(0, 0, false);

    public NoiseEvidence {
        if (pairs < 0 || differed < 0 || differed > pairs)
            throw new IllegalArgumentException("pairs " + pairs + ", differed " + differed + " (expected: 0 <= differed <= pairs)");
    }

    /** The share of pairs in which the path differed; 0 before any pair had it. */
    public double share() {
        return pairs == 0 ? 0 : (double) differed / pairs;
    }
}
