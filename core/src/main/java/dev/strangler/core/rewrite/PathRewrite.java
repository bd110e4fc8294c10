package dev.strangler.core.rewrite;

import dev.strangler.core.routing.PathPattern;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The path a service receives, as a template over the route's pattern. One mechanism covers the
 * three usual moves:
 * <ul>
 *   <li>template: {@code /api/v1/users/{id}} → {@code /users/{id}}</li>
 *   <li>replace a prefix: {@code /api/posts/**} → {@code /posts/**}</li>
 *   <li>strip a prefix: {@code /api/posts/**} → {@code /**}</li>
 * </ul>
 * The query string is kept as it was.
 */
public final class PathRewrite {
    private sealed interface Part {
        record Text(String text) implements Part {}
        record Param(String name) implements Part {}
        record Rest() implements Part {}
    }

    private final String template;
    private final List<Part> parts;

    private PathRewrite(String template, List<Part> parts) {
        this.template = template;
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses a template and checks it against the pattern it rewrites.
     *
     * @throws IllegalArgumentException with a config-error message when the template uses a
     *                                  parameter the pattern lacks, or {@code **} without one in the pattern,
     *                                  or has a query, or a segment mixing text and a placeholder
     */
    public static PathRewrite parse(String template, PathPattern pattern) {
        Objects.requireNonNull(template, "template");
        if (!template.startsWith("/")) throw new IllegalArgumentException("must start with '/', was \"" + template + "\"");
        if (template.contains("?") || template.contains("#"))
            throw new IllegalArgumentException("must not contain a query or fragment (the request's query is passed on as it was), was \""
                    + template + "\"");
        Set<String> known = pattern.paramNames();
        List<Part> parts = new ArrayList<>();
        String[] segs = template.substring(1).split("/", -1);
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            parts.add(new Part.Text("/"));
            if (s.equals("**")) {
                if (i != segs.length - 1) throw new IllegalArgumentException("'**' may only end the template, was \"" + template + "\"");
                if (!pattern.endsWithCatchAll())
                    throw new IllegalArgumentException("uses '**' but the path pattern " + pattern + " has none to carry over");
                parts.add(new Part.Rest());
            } else if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                if (!known.contains(name))
                    throw new IllegalArgumentException("uses {" + name + "} but the path pattern " + pattern + " declares " +
                            (known.isEmpty() ? "no parameters" : known));
                parts.add(new Part.Param(name));
            } else if (s.contains("{") || s.contains("}") || s.contains("*")) {
                throw new IllegalArgumentException("segment \"" + s + "\" mixes text and a placeholder; use a whole segment such as {id} or **");
            } else {
                parts.add(new Part.Text(s));
            }
        }
        return new PathRewrite(template, parts);
    }

    /** The rewritten path for a request path bound to the route's pattern. */
    public String apply(PathPattern.Bindings bindings) {
        StringBuilder b = new StringBuilder(64);
        for (Part p : parts) {
            switch (p) {
                case Part.Text t -> b.append(t.text());
                case Part.Param param -> b.append(bindings.params().getOrDefault(param.name(), ""));
                case Part.Rest r -> b.append(bindings.rest());
            }
        }
        // "/posts/**" with nothing to carry leaves "/posts/": drop that slash, but keep a lone "/".
        if (b.length() > 1 && b.charAt(b.length() - 1) == '/' && parts.get(parts.size() - 1) instanceof Part.Rest)
            b.setLength(b.length() - 1);
        return b.toString();
    }

    /** Rewrites a path (no query); the path must match the pattern this template was parsed against. */
    public String apply(PathPattern pattern, String path) {
        return pattern.bind(path).map(this::apply)
                .orElseThrow(() -> new IllegalArgumentException("path " + path + " does not match " + pattern));
    }

    @Override
    public String toString() {
        return template;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathRewrite r && r.template.equals(template);
    }

    @Override
    public int hashCode() {
        return Map.entry(template, parts.size()).hashCode();
    }
}
