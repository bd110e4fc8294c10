package dev.strangler.core.diff;

import java.util.Objects;
import java.util.Optional;

/**
 * How a route's JSON arrays are compared: {@code ordered} (aligned, so an insertion is one
 * {@code EXTRA}), {@code unordered} (as multisets) or {@code keyed-by: FIELD} (objects paired by the
 * value of a member such as {@code id}, in any order; arrays whose elements do not all carry a unique
 * scalar key are compared as ordered).
 */
public record ArrayRule(Kind kind, Optional<String> keyField) {
    public enum Kind { ORDERED, UNORDERED, KEYED }

    public static final ArrayRule ORDERED = new ArrayRule(Kind.ORDERED, Optional.empty());
    public static final ArrayRule UNORDERED = new ArrayRule(Kind.UNORDERED, Optional.empty());

    public ArrayRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(keyField, "keyField");
        if ((kind == Kind.KEYED) != keyField.isPresent())
            throw new IllegalArgumentException("keyField: " + keyField + " (expected: present exactly for KEYED)");
        if (keyField.isPresent() && keyField.get().isBlank())
            throw new IllegalArgumentException("keyField: blank (expected: a member name such as id)");
    }

    /**
     * The rule a single word names in the config file ({@code ordered} or {@code unordered}, any case);
     * {@code keyed-by} needs its field and is read from a mapping instead.
     */
    public static Optional<ArrayRule> fromConfigName(String word) {
        if (word.equalsIgnoreCase("ordered")) return Optional.of(ORDERED);
        if (word.equalsIgnoreCase("unordered")) return Optional.of(UNORDERED);
        return Optional.empty();
    }

    public static ArrayRule keyedBy(String field) {
        return new ArrayRule(Kind.KEYED, Optional.of(field));
    }

    /** The options with this rule for every array. */
    public DiffOptions applyTo(DiffOptions options) {
        return switch (kind) {
            case ORDERED -> options;
            case UNORDERED -> options.withUnorderedArrays(true);
            case KEYED -> options.withArrayKey(keyField.orElseThrow());
        };
    }

    /** As written in the config file: {@code ordered}, {@code unordered}, {@code keyed-by: id}. */
    @Override
    public String toString() {
        return switch (kind) {
            case ORDERED -> "ordered";
            case UNORDERED -> "unordered";
            case KEYED -> "keyed-by: " + keyField.orElseThrow();
        };
    }
}
