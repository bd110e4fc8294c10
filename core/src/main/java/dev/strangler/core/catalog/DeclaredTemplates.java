package dev.strangler.core.catalog;

import java.util.Locale;

/**
 * Path templates declared by an OpenAPI document, looked up by request path: a {@code {param}}
 * matches any one segment, and at each segment a literal beats a parameter (as in route matching),
 * so {@code /users/me} wins over {@code /users/{id}}. Literals match whatever their case
 * ({@code /orderLines/5} is {@code /orderlines/{id}}), and a learned template matches a declared one
 * of the same shape whatever its parameters are named ({@link #matchTemplate}).
 */
final class DeclaredTemplates {
    private static final class Node {
        /** By the literal in lower case. */
        final LiteralChildren<Node> literals = new LiteralChildren<>();
        Node param;
        String template;
    }

    private final Node root = new Node();
    private int size;

    void add(String template) {
        Node node = root;
        for (String s : TemplatePath.segments(template)) {
            if (SegmentShape.isParam(s)) node = node.param == null ? (node.param = new Node()) : node.param;
            else node = literal(node, s.toLowerCase(Locale.ROOT));
        }
        if (node.template == null) size++;
        node.template = template;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private static Node literal(Node node, String lowerCase) {
        Node child = node.literals.get(lowerCase);
        if (child == null) node.literals.put(lowerCase, child = new Node());
        return child;
    }

    /** The declared template matching the path's segments, or null; reads them in place. */
    String match(PathSegments segments) {
        return find(root, segments, 0, false);
    }

    /**
     * The declared template a learned template stands for, or null: its literals match as in
     * {@link #match}, and its parameters match declared parameters only ({@code /orderlines/{orderlineId}}
     * is the declared {@code /orderlines/{orderLineId}}, whatever the names).
     */
    String matchTemplate(String template) {
        return find(root, new PathSegments().split(template), 0, true);
    }

    private static String find(Node node, PathSegments segments, int index, boolean isTemplate) {
        if (index == segments.count()) return node.template;
        if (!(isTemplate && SegmentShape.isParam(segments.view(index)))) {
            Node literal = node.literals.get(segments, index);
            if (literal == null && !isLowerCase(segments.view(index)))
                literal = node.literals.get(segments.text(index).toLowerCase(Locale.ROOT));
            if (literal != null) {
                String t = find(literal, segments, index + 1, isTemplate);
                if (t != null) return t;
            }
        }
        return node.param == null ? null : find(node.param, segments, index + 1, isTemplate);
    }

    /** Plain ASCII without capitals, which lower-casing leaves as it is: most segments, looked up without a copy. */
    private static boolean isLowerCase(CharSequence segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c >= 128 || (c >= 'A' && c <= 'Z')) return false;
        }
        return true;
    }
}
