package dev.strangler.core.diff;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A response's header fields as they were received, in order (a name may repeat, in any case), read as
 * an immutable map from case-insensitive name to that name's values in order.
 *
 * <p>Why not a sorted map at once: the gateway captures two or three responses for every shadowed
 * request, and a comparison asks for a few names only (the compared headers and {@code Content-Type}).
 * Looking up one name scans the fields, about ten in a response, and allocates only its answer; the map
 * of all names is built the first time something reads the map whole (a sample kept of a mismatch),
 * once, and is then shared by every reader. Building it for every response cost more than a kilobyte
 * per shadowed request (docs/performance.md).
 */
public final class HeaderFields extends AbstractMap<String, List<String>> {
    /** name, value, name, value, ... ({@link #length} of them used); never changed once built. */
    private final String[] fields;
    private final int length;
    /** The map of all names, built on first need; published whole through the volatile write. */
    private volatile Map<String, List<String>> byName;

    private HeaderFields(String[] fields, int length) {
        this.fields = fields;
        this.length = length;
    }

    /** The fields given as name, value, name, value, ... (copied). */
    public static HeaderFields of(String... namesAndValues) {
        Objects.requireNonNull(namesAndValues, "namesAndValues");
        int length = namesAndValues.length;
        if (length % 2 != 0) throw new IllegalArgumentException("length: " + length + " (expected: even, name then value)");
        for (int i = 0; i < length; i++)
            if (namesAndValues[i] == null) throw new IllegalArgumentException("namesAndValues[" + i + "] is null");
        return new HeaderFields(namesAndValues.clone(), length);
    }

    /** Fields collected in order, then {@link #build() built}; for callers that see them one at a time. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects fields in order; one use. */
    public static final class Builder {
        private String[] fields = new String[16];
        private int length;

        private Builder() {
        }

        public Builder add(String name, String value) {
            if (fields == null) throw new IllegalStateException("add() after build(): a builder makes one HeaderFields");
            if (length + 2 > fields.length) fields = Arrays.copyOf(fields, fields.length * 2);
            fields[length++] = Objects.requireNonNull(name, "name");
            fields[length++] = Objects.requireNonNull(value, "value");
            return this;
        }

        /** The fields added; the builder is spent (its array is the result's now). */
        public HeaderFields build() {
            if (fields == null) throw new IllegalStateException("build() was called already: a builder makes one HeaderFields");
            HeaderFields built = new HeaderFields(fields, length);
            fields = null;
            return built;
        }
    }

    /** The values of {@code name} (any case), in the order received; null when it has none (the {@link Map} contract). */
    @Override
    public List<String> get(Object name) {
        if (!(name instanceof String wanted)) return null;
        Map<String, List<String>> built = byName;
        if (built != null) return built.get(wanted);
        String first = null;
        List<String> more = null;
        for (int i = 0; i < length; i += 2) {
            if (!fields[i].equalsIgnoreCase(wanted)) continue;
            if (first == null) {
                first = fields[i + 1];
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(first);
                }
                more.add(fields[i + 1]);
            }
        }
        if (first == null) return null;
        return more == null ? List.of(first) : List.copyOf(more);
    }

    @Override
    public boolean containsKey(Object name) {
        if (!(name instanceof String wanted)) return false;
        for (int i = 0; i < length; i += 2)
            if (fields[i].equalsIgnoreCase(wanted)) return true;
        return false;
    }

    @Override
    public boolean isEmpty() {
        return length == 0;
    }

    @Override
    public int size() {
        return byName().size();
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        return byName().entrySet();
    }

    private Map<String, List<String>> byName() {
        Map<String, List<String>> built = byName;
        if (built != null) return built;
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < length; i += 2) map.computeIfAbsent(fields[i], k -> new ArrayList<>(2)).add(fields[i + 1]);
        map.replaceAll((name, values) -> List.copyOf(values));
        built = Collections.unmodifiableMap(map);
        byName = built;
        return built;
    }
}
