package dev.strangler.core.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One raw request path split into its segments as offsets into the path: the same segments as
 * {@link TemplatePath#segments} (query and fragment cut off, empty segments skipped), without
 * copying any text. Each catalog (one per event loop) splits every recorded request with one instance, so
 * templating a path whose literals the templater already knows copies nothing: a segment's text is
 * copied ({@link #text}) only where it is kept or the rare slow paths need a string.
 *
 * <p>Mutable and reused: one owner thread, like the {@link Catalog} that holds it. {@link #view}
 * hands out one reused {@link CharSequence}, valid until the next call.
 */
final class PathSegments {
    private String path = "";
    /** Segment {@code i} runs from {@code bounds[2i]} to {@code bounds[2i + 1]} (exclusive). */
    private int[] bounds = new int[32];
    private int count;
    private final Segment view = new Segment();

    /** Splits {@code path}, forgetting the previous one. */
    PathSegments split(String path) {
        this.path = path;
        count = 0;
        int end = path.length();
        for (int i = 0; i < end; i++) {
            char c = path.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        int start = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || path.charAt(i) == '/') {
                if (i > start) add(start, i);
                start = i + 1;
            }
        }
        return this;
    }

    private void add(int from, int to) {
        if (2 * count + 2 > bounds.length) bounds = Arrays.copyOf(bounds, bounds.length * 2);
        bounds[2 * count] = from;
        bounds[2 * count + 1] = to;
        count++;
    }

    int count() {
        return count;
    }

    /** Segment {@code i}'s text, copied. */
    String text(int i) {
        return path.substring(bounds[2 * i], bounds[2 * i + 1]);
    }

    /** Whether segment {@code i} reads exactly {@code text}, compared in place. */
    boolean is(int i, String text) {
        int from = bounds[2 * i];
        int length = bounds[2 * i + 1] - from;
        return text.length() == length && path.regionMatches(from, text, 0, length);
    }

    /** {@code text(i).hashCode()}, computed in place (a string's hash is defined over its chars). */
    int hash(int i) {
        int h = 0;
        for (int k = bounds[2 * i], end = bounds[2 * i + 1]; k < end; k++) h = 31 * h + path.charAt(k);
        return h;
    }

    /** Segment {@code i} read in place; the same object for every call, so valid only until the next one. */
    CharSequence view(int i) {
        view.from = bounds[2 * i];
        view.to = bounds[2 * i + 1];
        return view;
    }

    /** Every segment's text, copied: for the slow paths that work on strings. */
    List<String> texts() {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(text(i));
        return out;
    }

    private final class Segment implements CharSequence {
        int from;
        int to;

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= to - from) throw new IndexOutOfBoundsException("index: " + index + " (expected: 0.." + (to - from - 1) + ")");
            return path.charAt(from + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().subSequence(start, end);
        }

        @Override
        public String toString() {
            return path.substring(from, to);
        }
    }
}
