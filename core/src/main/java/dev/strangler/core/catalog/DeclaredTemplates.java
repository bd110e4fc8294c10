package dev.strangler.core.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Path templates declared by an OpenAPI document, looked up by request path: a {@code {param}}
 * matches any one segment, and at each segment a literal beats a parameter (as in route matching),
 * so {@code /users/me} wins over {@code /users/{id}}. Literals match whatever their case
 * ({@code /orderLines/5} is {@code /orderlines/{id}}), and a learned template matches a declared one
 * of the same shape whatever its parameters are named ({@link #matchTemplate}).
 */
final class DeclaredTemplates {
    private static final class Node {
        final Map<String, Node> literals = new HashMap<>(4);
        Node param;
        String template;
    }

    private final Node root = new Node();
    private int size;

    void add(String template) {
        Node node = root;
        for (String s : TemplatePath.segments(template)) {
            if (SegmentShape.isParam(s)) node = node.param == null ? (node.param = new Node()) : node.param;
            else node = node.literals.computeIfAbsent(s.toLowerCase(java.util.Locale.ROOT), k -> new Node());
        }
        if (node.template == null) size++;
        node.template = template;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The declared template matching the path's segments, or null. */
    String match(List<String> segments) {
        return find(root, segments, 0, false);
    }

    /**
     * The declared template a learned template stands for, or null: its literals match as in
     * {@link #match}, and its parameters match declared parameters only ({@code /orderlines/{orderlineId}}
     * is the declared {@code /orderlines/{orderLineId}}, whatever the names).
     */
    String matchTemplate(String template) {
        return find(root, TemplatePath.segments(template), 0, true);
    }

    private static String find(Node node, List<String> segments, int index, boolean isTemplate) {
        if (index == segments.size()) return node.template;
        String segment = segments.get(index);
        if (!(isTemplate && SegmentShape.isParam(segment))) {
            Node literal = node.literals.get(segment);
            if (literal == null) literal = node.literals.get(segment.toLowerCase(java.util.Locale.ROOT));
            if (literal != null) {
                String t = find(literal, segments, index + 1, isTemplate);
                if (t != null) return t;
            }
        }
        return node.param == null ? null : find(node.param, segments, index + 1, isTemplate);
    }
}
