package dev.strangler.cli;

import dev.strangler.core.stage.Stage;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Where a route is or should go: a stage, and for {@code canary} the share of users. Written
 * {@code canary:25} on the command line, {@code {"stage": "canary", "percent": 25.0}} in the
 * admin API, {@code canary 25%} for people.
 */
record StagePercent(String stage, OptionalDouble percent) {
    private static final String CANARY = Stage.CANARY.configName();

    /**
     * Reads {@code STAGE[:PERCENT]} as the user typed it.
     *
     * @throws IllegalArgumentException saying what was wrong and what would be right
     */
    static StagePercent parse(String text) {
        String[] parts = text.strip().split(":", 2);
        String name = parts[0].toLowerCase(Locale.ROOT);
        if (Stage.fromConfigName(name).isEmpty()) {
            throw new IllegalArgumentException("unknown stage \"" + parts[0] + "\" (expected: "
                    + Arrays.stream(Stage.values()).map(Stage::configName).collect(Collectors.joining(", "))
                    + ", with a percent for canary as in canary:25)");
        }
        if (parts.length == 1) return new StagePercent(name, OptionalDouble.empty());
        if (!name.equals(CANARY)) {
            throw new IllegalArgumentException("\"" + text + "\": only canary takes a percent (expected: " + name + ")");
        }
        String number = parts[1].strip().replaceFirst("%$", "");
        double percent;
        try {
            percent = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            percent = Double.NaN;
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("\"" + text + "\": the percent must be a number from 0 to 100, was " + parts[1]);
        }
        return new StagePercent(name, OptionalDouble.of(percent));
    }

    /** {@code {"stage": ..., "percent": ...}} of the admin API; absent or null reads as {@code -}. */
    static StagePercent of(JsonObject json) {
        if (json == null) return new StagePercent("-", OptionalDouble.empty());
        Double percent = json.getDouble("percent");
        return new StagePercent(AdminJson.text(json, "stage", "?"), percent == null ? OptionalDouble.empty() : OptionalDouble.of(percent));
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject().put("stage", stage);
        percent.ifPresent(p -> json.put("percent", p));
        return json;
    }

    /** {@code canary 25%}, {@code live}: the percent only where it means something. */
    @Override
    public String toString() {
        return stage.equals(CANARY) && percent.isPresent() ? stage + " " + number(percent.getAsDouble()) + "%" : stage;
    }

    /** 25.0 as {@code 25}, 2.5 as {@code 2.5}. */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Picocli's converter for {@code --to}. */
    static final class Converter implements ITypeConverter<StagePercent> {
        @Override
        public StagePercent convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
