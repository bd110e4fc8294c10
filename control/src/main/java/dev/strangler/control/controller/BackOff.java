package dev.strangler.control.controller;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the controller leaves a route alone after rolling it back: {@code first} after one
 * automatic rollback, doubling with each further one in a row ({@code first}, 2×, 4×, ...) up to
 * {@code max}. A route that keeps failing is tried less and less often instead of flapping between
 * canary and shadow; a person can always resume it at once ({@code strangler resume ROUTE}).
 *
 * @param first the hold after the first automatic rollback; default {@link #DEFAULT_FIRST}
 * @param max   the longest hold; default {@link #DEFAULT_MAX}
 */
public record BackOff(Duration first, Duration max) {
    /** 10 minutes: long enough for a person to look, short enough that a blip costs little. */
    public static final Duration DEFAULT_FIRST = Duration.ofMinutes(10);
    /** 4 hours: a service that failed five times in a row is tried a few times a day. */
    public static final Duration DEFAULT_MAX = Duration.ofHours(4);
    public static final BackOff DEFAULT = new BackOff(DEFAULT_FIRST, DEFAULT_MAX);

    public BackOff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero()) throw new IllegalArgumentException("first: " + first + " (expected: > 0)");
        if (max.compareTo(first) < 0) throw new IllegalArgumentException("max: " + max + " (expected: >= first " + first + ")");
    }

    /** The hold after the {@code consecutive}-th automatic rollback in a row (1 for the first). */
    public Duration after(int consecutive) {
        if (consecutive < 1) throw new IllegalArgumentException("consecutive: " + consecutive + " (expected: >= 1)");
        Duration d = first;
        for (int i = 1; i < consecutive && d.compareTo(max) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(max) > 0 ? max : d;
    }
}
