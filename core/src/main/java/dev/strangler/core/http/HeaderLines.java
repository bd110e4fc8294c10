package dev.strangler.core.http;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The header field lines of a request head in the order received, duplicates kept, read by index
 * where they stand: the names and values are the caller's own {@link CharSequence}s (a server's
 * decoded header map holds them already), so judging a head makes neither a String nor an object
 * per line. {@link RequestRules} reads every line of every request through this view.
 *
 * <p>Immutable once built, as long as the sequences it was given are (Strings and Netty's
 * {@code AsciiString}s are); a {@link Builder} hands its array over instead of copying it, and
 * cannot be used again after {@link Builder#build}.
 */
public final class HeaderLines {
    private static final HeaderLines NONE = new HeaderLines(new CharSequence[0], 0);

    /** Line i's name at {@code 2i}, its value at {@code 2i + 1}: one array for the whole head. */
    private final CharSequence[] namesAndValues;
    private final int count;

    private HeaderLines(CharSequence[] namesAndValues, int count) {
        this.namesAndValues = namesAndValues;
        this.count = count;
    }

    /** The lines of a list of fields, in its order (what callers that hold {@link HeaderField}s pass). */
    public static HeaderLines of(List<HeaderField> fields) {
        if (fields.isEmpty()) return NONE;
        Builder b = builder(fields.size());
        for (HeaderField f : fields) b.add(f.name(), f.value());
        return b.build();
    }

    /** @param expectedLines how many lines to make room for (more may be added) */
    public static Builder builder(int expectedLines) {
        return new Builder(expectedLines);
    }

    public int count() {
        return count;
    }

    /** Line {@code i}'s name as sent (any case). */
    public CharSequence name(int i) {
        return namesAndValues[2 * Objects.checkIndex(i, count)];
    }

    /** Line {@code i}'s value as the head holds it. */
    public CharSequence value(int i) {
        return namesAndValues[2 * Objects.checkIndex(i, count) + 1];
    }

    /** Whether line {@code i}'s name is {@code name}, ignoring case as {@link String#equalsIgnoreCase} does, without a copy. */
    public boolean hasName(int i, String name) {
        return Http1Syntax.hasName(name(i), name);
    }

    /** Equal when the same names and values, char for char, come in the same order, whatever their CharSequence types. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HeaderLines other) || other.count != count) return false;
        for (int i = 0; i < 2 * count; i++)
            if (CharSequence.compare(namesAndValues[i], other.namesAndValues[i]) != 0) return false;
        return true;
    }

    @Override
    public int hashCode() {
        int h = count;
        for (int i = 0; i < 2 * count; i++) h = 31 * h + namesAndValues[i].toString().hashCode();
        return h;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < count; i++) b.append(i == 0 ? "" : ", ").append(name(i)).append(": ").append(value(i));
        return b.append(']').toString();
    }

    /** Collects lines for one {@link HeaderLines}; single use. */
    public static final class Builder {
        private CharSequence[] namesAndValues;
        private int count;

        private Builder(int expectedLines) {
            if (expectedLines < 0) throw new IllegalArgumentException("expectedLines: " + expectedLines + " (expected: >= 0)");
            namesAndValues = new CharSequence[2 * expectedLines];
        }

        public Builder add(CharSequence name, CharSequence value) {
            if (namesAndValues == null) throw new IllegalStateException("this builder already built its HeaderLines");
            if (2 * count == namesAndValues.length) namesAndValues = Arrays.copyOf(namesAndValues, Math.max(8, 4 * count));
            namesAndValues[2 * count] = Objects.requireNonNull(name, "name");
            namesAndValues[2 * count + 1] = Objects.requireNonNull(value, "value");
            count++;
            return this;
        }

        /** The lines added so far; the array is handed over, not copied, so the builder is done. */
        public HeaderLines build() {
            if (namesAndValues == null) throw new IllegalStateException("this builder already built its HeaderLines");
            HeaderLines lines = count == 0 ? NONE : new HeaderLines(namesAndValues, count);
            namesAndValues = null;
            return lines;
        }
    }
}
