package dev.strangler.core.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A route's path: literal segments, {@code {name}} for exactly one segment, and an optional
 * trailing {@code **} for zero or more remaining segments. {@code /api/posts/**} matches
 * {@code /api/posts}, {@code /api/posts/} and {@code /api/posts/7/comments}.
 *
 * <p>Empty segments are ignored on both sides, so {@code /a//b/} matches {@code /a/b}.
 */
public final class PathPattern {
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** One segment of a pattern. */
    public sealed interface Segment {
        record Literal(String text) implements Segment {}
        record Param(String name) implements Segment {}
        record CatchAll() implements Segment {}
    }

    /** What a path bound to the pattern: one value per {@code {name}}, and what {@code **} covered (no leading slash). */
    public record Bindings(Map<String, String> params, String rest) {}

    private final String text;
    private final List<Segment> segments;

    private PathPattern(String text, List<Segment> segments) {
        this.text = text;
        this.segments = List.copyOf(segments);
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException with a message fit for a config error when the text is not a pattern
     */
    public static PathPattern parse(String text) {
        Objects.requireNonNull(text, "text");
        if (!text.startsWith("/")) throw new IllegalArgumentException("must start with '/', was \"" + text + "\"");
        if (text.contains("?") || text.contains("#"))
            throw new IllegalArgumentException("must not contain a query or fragment, was \"" + text + "\"");
        List<Segment> segments = new ArrayList<>();
        String[] parts = text.split("/");
        List<String> nonEmpty = new ArrayList<>();
        for (String p : parts) if (!p.isEmpty()) nonEmpty.add(p);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < nonEmpty.size(); i++) {
            String p = nonEmpty.get(i);
            if (p.equals("**")) {
                if (i != nonEmpty.size() - 1)
                    throw new IllegalArgumentException("'**' may only be the last segment, was \"" + text + "\"");
                segments.add(new Segment.CatchAll());
            } else if (p.startsWith("{") && p.endsWith("}")) {
                String name = p.substring(1, p.length() - 1);
                if (!PARAM_NAME.matcher(name).matches())
                    throw new IllegalArgumentException("parameter name \"" + name + "\" must be a letter or _ followed by letters, digits or _");
                if (!names.add(name))
                    throw new IllegalArgumentException("parameter {" + name + "} appears twice in \"" + text + "\"");
                segments.add(new Segment.Param(name));
            } else if (p.equals("*")) {
                segments.add(new Segment.Param("*" + i));
            } else if (p.contains("{") || p.contains("}") || p.contains("*")) {
                throw new IllegalArgumentException("segment \"" + p + "\" mixes text and a wildcard; use a whole segment such as {id} or **");
            } else if (p.equals(".") || p.equals("..")) {
                throw new IllegalArgumentException("segment \"" + p + "\" is a dot segment, which requests may not contain");
            } else {
                // Requests are matched in their normal form (decoded unreserved characters, upper-case hex).
                segments.add(new Segment.Literal(dev.strangler.core.http.RequestTarget.normalisedSegment(p)));
            }
        }
        return new PathPattern(text, segments);
    }

    public List<Segment> segments() {
        return segments;
    }

    public boolean endsWithCatchAll() {
        return !segments.isEmpty() && segments.get(segments.size() - 1) instanceof Segment.CatchAll;
    }

    public java.util.Set<String> paramNames() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (Segment s : segments) if (s instanceof Segment.Param p && !p.name().startsWith("*")) names.add(p.name());
        return names;
    }

    /**
     * The pattern with parameter names erased: two patterns of equal shape match exactly the same
     * paths, so routes with equal shapes and overlapping conditions are a tie.
     */
    public String shape() {
        StringBuilder b = new StringBuilder();
        for (Segment s : segments) {
            b.append('/');
            switch (s) {
                case Segment.Literal l -> b.append(l.text());
                case Segment.Param p -> b.append("{}");
                case Segment.CatchAll c -> b.append("**");
            }
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    /** Binds a path (no query) to this pattern; empty when it does not match. */
    public Optional<Bindings> bind(String path) {
        List<String> parts = RequestPath.segments(path);
        Map<String, String> params = new HashMap<>();
        int i = 0;
        for (Segment s : segments) {
            switch (s) {
                case Segment.CatchAll c -> {
                    return Optional.of(new Bindings(Map.copyOf(params), String.join("/", parts.subList(i, parts.size()))));
                }
                case Segment.Literal l -> {
                    if (i >= parts.size() || !parts.get(i).equals(l.text())) return Optional.empty();
                }
                case Segment.Param p -> {
                    if (i >= parts.size()) return Optional.empty();
                    params.put(p.name(), parts.get(i));
                }
            }
            i++;
        }
        return i == parts.size() ? Optional.of(new Bindings(Map.copyOf(params), "")) : Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
