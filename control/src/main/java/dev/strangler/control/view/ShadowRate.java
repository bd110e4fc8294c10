package dev.strangler.control.view;

import java.util.Optional;

/** Shadowed requests whose responses were diffed, and how many matched; the rate is empty before the first. */
public record ShadowRate(long compared, long matched, Optional<Double> matchRate) {
    public static ShadowRate of(long compared, long matched) {
        return new ShadowRate(compared, matched, compared == 0 ? Optional.empty() : Optional.of((double) matched / compared));
    }
}
