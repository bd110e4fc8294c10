package dev.strangler.core.catalog;

import dev.strangler.core.routing.RequestPath;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Path templates as segments: splitting a raw path or a template, and writing a template with
 * parameter names derived the way a person would name them ({@code /users/{userId}}).
 */
final class TemplatePath {
    private TemplatePath() {}

    /** Non-empty segments of a path, without query or fragment: {@code //a/b/?x} → [a, b]. */
    static List<String> segments(String path) {
        int end = path.length();
        int q = path.indexOf('?');
        if (q >= 0) end = q;
        int h = path.indexOf('#');
        if (h >= 0 && h < end) end = h;
        // The same segments routing sees, so a template and a route pattern split a path alike.
        return RequestPath.segments(end == path.length() ? path : path.substring(0, end));
    }

    static String prefix(String template, int depth) {
        StringBuilder b = new StringBuilder();
        int counted = 0;
        for (String s : segments(template)) {
            if (counted == depth || SegmentShape.isParam(s)) break;
            b.append('/').append(s);
            if (!SegmentShape.isVersion(s)) counted++;
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    /** Whether the template lies under the prefix, segment by segment ({@code /api/posts} covers {@code /api/posts/{id}}, not {@code /api/postsx}). */
    static boolean isUnder(String template, String prefix) {
        List<String> p = segments(prefix);
        List<String> t = segments(template);
        return t.size() >= p.size() && t.subList(0, p.size()).equals(p);
    }

    /**
     * Builds a template from literal and parameter segments. A parameter is named after the literal
     * before it, singularised ({@code categories} → {@code categoryId}); a date is {@code {date}};
     * with no literal before it, or a version before it, {@code {id}}. Names never repeat in one
     * template ({@code {id}}, {@code {id2}}), so every template parses as a route pattern.
     */
    static final class Builder {
        private final List<String> literals = new ArrayList<>(8);
        private final List<Boolean> dates = new ArrayList<>(8);

        Builder literal(String text) {
            literals.add(text);
            dates.add(false);
            return this;
        }

        void clear() {
            literals.clear();
            dates.clear();
        }

        Builder param(boolean date) {
            literals.add(null);
            dates.add(date);
            return this;
        }

        String build() {
            if (literals.isEmpty()) return "/";
            StringBuilder b = new StringBuilder();
            Set<String> used = new HashSet<>();
            for (int i = 0; i < literals.size(); i++) {
                b.append('/');
                String literal = literals.get(i);
                if (literal != null) {
                    b.append(literal);
                    continue;
                }
                String base = dates.get(i) ? "date" : nameAfter(i == 0 ? null : literals.get(i - 1));
                String name = base;
                for (int k = 2; !used.add(name); k++) name = base + k;
                b.append('{').append(name).append('}');
            }
            return b.toString();
        }
    }

    /** {@code users} → {@code userId}, {@code line-items} → {@code lineItemId}, nothing or {@code v2} → {@code id}. */
    static String nameAfter(String previous) {
        if (previous == null || SegmentShape.isVersion(previous)) return "id";
        StringBuilder camel = new StringBuilder();
        for (String word : previous.split("[^A-Za-z0-9]+")) {
            if (word.isEmpty()) continue;
            if (camel.isEmpty()) camel.append(word.toLowerCase(Locale.ROOT));
            else camel.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        if (camel.isEmpty() || !Character.isLetter(camel.charAt(0))) return "id";
        return singular(camel.toString()) + "Id";
    }

    /** Plain English plurals only: {@code categories} → {@code category}, {@code statuses} → {@code status}, {@code users} → {@code user}. */
    static String singular(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        if (lower.endsWith("ies") && word.length() > 4) return word.substring(0, word.length() - 3) + "y";
        if ((lower.endsWith("sses") || lower.endsWith("uses") || lower.endsWith("xes") || lower.endsWith("ches")
                || lower.endsWith("shes")) && word.length() > 4) return word.substring(0, word.length() - 2);
        if (lower.endsWith("ses") && word.length() > 4) return word.substring(0, word.length() - 1);
        if (lower.endsWith("s") && !lower.endsWith("ss") && !lower.endsWith("us") && word.length() > 2)
            return word.substring(0, word.length() - 1);
        return word;
    }
}
