package dev.strangler.core.plan;

import dev.strangler.core.stage.Stage;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a route is in its migration: a stage, and for {@code canary} the share of users the
 * service serves. The percent is kept only for {@code canary} (0 otherwise) so two positions are
 * equal exactly when traffic is split the same way.
 */
public record Position(Stage stage, double percent) {
    public static final Position MONOLITH = new Position(Stage.MONOLITH, 0);
    public static final Position SHADOW = new Position(Stage.SHADOW, 0);
    public static final Position LIVE = new Position(Stage.LIVE, 0);
    public static final Position RETIRED = new Position(Stage.RETIRED, 0);

    public Position {
        Objects.requireNonNull(stage, "stage");
        if (stage != Stage.CANARY) percent = 0;
        else if (!(percent >= 0 && percent <= 100))
            throw new IllegalArgumentException("canary percent: " + percent + " (expected: 0..100)");
    }

    public static Position canary(double percent) {
        return new Position(Stage.CANARY, percent);
    }

    /** Any stage but canary, which needs its percent. */
    public static Position of(Stage stage) {
        if (stage == Stage.CANARY) throw new IllegalArgumentException("a canary position needs its percent: use Position.canary");
        return new Position(stage, 0);
    }

    /** Reads {@code stage} or {@code stage:percent} ({@code canary:25}, {@code live}); empty when malformed. */
    public static Optional<Position> parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        Optional<Stage> stage = Stage.fromConfigName(colon < 0 ? t : t.substring(0, colon));
        if (stage.isEmpty()) return Optional.empty();
        try {
            if (stage.get() != Stage.CANARY) return colon < 0 ? Optional.of(of(stage.get())) : Optional.empty();
            if (colon < 0) return Optional.empty();
            String p = t.substring(colon + 1);
            return Optional.of(canary(Double.parseDouble(p.endsWith("%") ? p.substring(0, p.length() - 1) : p)));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            return Optional.empty();
        }
    }

    /** Higher is further along: monolith 0, shadow 1, canary 2 + percent/100, live 3, retired 4. */
    public double progress() {
        return stage == Stage.CANARY ? stage.ordinal() + percent / 100 : stage.ordinal();
    }

    /** {@code canary 5%}, {@code live}: how people and the audit log say it. */
    @Override
    public String toString() {
        return stage == Stage.CANARY ? "canary " + formatPercent(percent) + "%" : stage.configName();
    }

    static String formatPercent(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
