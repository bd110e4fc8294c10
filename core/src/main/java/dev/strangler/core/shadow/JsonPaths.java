package dev.strangler.core.shadow;

import dev.strangler.core.diff.JsonPathNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Paths as the diff engine reports them ({@code $.items[3].price}, {@code $['a.b']}, {@code header:Name},
 * {@code body@120}, {@code status}), reduced to the key the shadow stage aggregates under: array
 * indexes become {@code [*]} and a body offset is dropped, so {@code $.items[0].id} and
 * {@code $.items[7].id} are one path and the number of distinct paths stays small.
 */
final class JsonPaths {
    /** One step of a JSON path: a member name, or any array element. */
    record Segment(String name, boolean isIndex) {
        static final Segment INDEX = new Segment("", true);
    }

    private JsonPaths() {
    }

    /** The aggregation key of a reported path. */
    static String normalize(String path) {
        if (path.startsWith("body@"))
            return "body";
        if (!path.startsWith("$") || path.indexOf('[') < 0)
            return path;
        StringBuilder out = new StringBuilder(path.length());
        int n = path.length();
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            out.append(c);
            if (c != '[' || i + 1 >= n)
                continue;
            char next = path.charAt(i + 1);
            if (next == '\'' || next == '"') {
                int j = i + 2;
                while (j < n && path.charAt(j) != next)
                    j += path.charAt(j) == '\\' ? 2 : 1;
                out.append(path, i + 1, Math.min(j + 1, n));
                i = j;
            } else if (next >= '0' && next <= '9') {
                int j = i + 1;
                while (j < n && path.charAt(j) >= '0' && path.charAt(j) <= '9')
                    j++;
                out.append('*');
                i = j - 1;
            }
        }
        return out.toString();
    }

    /** The segments of a {@code $} path, indexes as {@link Segment#INDEX}; empty when it does not parse. */
    static Optional<List<Segment>> parse(String path) {
        if (!path.startsWith("$"))
            return Optional.empty();
        List<Segment> segments = new ArrayList<>();
        int n = path.length();
        int i = 1;
        while (i < n) {
            char c = path.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < n && path.charAt(i) != '.' && path.charAt(i) != '[')
                    i++;
                if (start == i)
                    return Optional.empty();
                String name = path.substring(start, i);
                segments.add(name.equals("*") ? Segment.INDEX : new Segment(name, false));
            } else if (c == '[') {
                i++;
                if (i >= n)
                    return Optional.empty();
                char q = path.charAt(i);
                if (q == '\'' || q == '"') {
                    StringBuilder name = new StringBuilder();
                    i++;
                    while (i < n && path.charAt(i) != q) {
                        char ch = path.charAt(i);
                        if (ch == '\\' && i + 1 < n)
                            ch = path.charAt(++i);
                        name.append(ch);
                        i++;
                    }
                    i++;
                    segments.add(new Segment(name.toString(), false));
                } else {
                    while (i < n && path.charAt(i) != ']')
                        i++;
                    segments.add(Segment.INDEX);
                }
                if (i >= n || path.charAt(i) != ']')
                    return Optional.empty();
                i++;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(segments);
    }

    static String render(List<Segment> segments) {
        StringBuilder path = new StringBuilder(16).append('$');
        for (Segment segment : segments)
            append(path, segment);
        return path.toString();
    }

    /** The path of a child: {@code parent} extended by one member name or {@code [*]}. */
    static String child(String parent, Segment segment) {
        StringBuilder path = new StringBuilder(parent.length() + 12).append(parent);
        append(path, segment);
        return path.toString();
    }

    private static void append(StringBuilder path, Segment segment) {
        if (segment.isIndex()) {
            path.append("[*]");
            return;
        }
        JsonPathNames.appendField(path, segment.name());
    }

}
