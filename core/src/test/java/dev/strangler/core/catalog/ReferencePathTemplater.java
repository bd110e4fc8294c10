package dev.strangler.core.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The templater as it was before it templated by offsets (commit c555051): strings per segment,
 * a {@code HashMap} per trie node, and {@link SegmentShape}'s rules with their regular expressions.
 * Kept here unchanged (with {@link Declared}) as the reference {@link PathTemplaterPropertiesTest} holds the new code to;
 * only the shape rules were inlined, since {@link SegmentShape} itself changed.
 */
final class ReferencePathTemplater {
    private static final class Node {
        Map<String, Node> literals;
        Node param;
        /** For a parameter node: named {@code {date}}. */
        boolean date;
        boolean generalized;
        /** Literal children that are not aliases. */
        int words;
        long hits;
        /** The template of the path ending here, built once: it depends only on the nodes walked. */
        String template;
    }

    private final int maxNodes;
    private final int maxLiterals;
    private final Node root = new Node();
    /** Reused for every call: the templater is single-threaded, and most calls end at a cached template. */
    private final TemplatePath.Builder builder = new TemplatePath.Builder();
    private int nodes = 1;
    private long overflow;
    private long generalizations;

    ReferencePathTemplater() {
        this(PathTemplater.DEFAULT_MAX_NODES, PathTemplater.DEFAULT_MAX_LITERALS);
    }

    /**
     * @param maxNodes    cap on trie nodes, the memory bound (≥ 1)
     * @param maxLiterals distinct literal children past which a position becomes a parameter (≥ 1)
     */
    ReferencePathTemplater(int maxNodes, int maxLiterals) {
        if (maxNodes < 1) throw new IllegalArgumentException("maxNodes: " + maxNodes + " (expected: >= 1)");
        if (maxLiterals < 1) throw new IllegalArgumentException("maxLiterals: " + maxLiterals + " (expected: >= 1)");
        this.maxNodes = maxNodes;
        this.maxLiterals = maxLiterals;
    }

    /** The old {@code template(List)}: a path already split into segments. */
    String template(List<String> segments) {
        Node node = root;
        node.hits++;
        boolean overflowed = false;
        boolean cacheable = true;
        int depth = 0;
        builder.clear();
        for (String segment : segments) {
            if (++depth > PathTemplater.MAX_DEPTH) node = null;
            if (node == null) {
                cacheable = false;
                builder.param(isParamRule(segment) ? segment.equals("{date}") : shapeRule(segment) == SegmentShape.DATE);
                continue;
            }
            // A known literal child is a word by construction: no need to classify it again.
            Node next = node.literals == null ? null : node.literals.get(segment);
            SegmentShape shape = next != null ? SegmentShape.WORD : shapeOf(segment);
            if (next == null) {
                if (shape != SegmentShape.WORD) {
                    next = paramChild(node, shape == SegmentShape.DATE);
                } else if (node.generalized && !SegmentShape.isAlias(segment)) {
                    next = paramChild(node, false);
                } else if (nodes >= maxNodes) {
                    overflowed = true;
                    next = paramChild(node, false);
                } else {
                    next = addLiteral(node, segment);
                    if (next == null) next = paramChild(node, false);
                }
            }
            if (next == null) {
                overflowed = true;
                cacheable = false;
                builder.param(shape == SegmentShape.DATE);
            } else if (next == node.param) {
                builder.param(next.date);
            } else {
                builder.literal(segment);
            }
            if (next != null) next.hits++;
            node = next;
        }
        if (overflowed) overflow++;
        if (!cacheable || node == null) return builder.build();
        if (node.template == null) node.template = builder.build();
        return node.template;
    }

    public String resolve(String template) {
        TemplatePath.Builder out = new TemplatePath.Builder();
        Node node = root;
        int depth = 0;
        for (String segment : TemplatePath.segments(template)) {
            if (++depth > PathTemplater.MAX_DEPTH) node = null;
            SegmentShape shape = shapeOf(segment);
            boolean date = isParamRule(segment) ? segment.equals("{date}") : shape == SegmentShape.DATE;
            if (node == null) {
                if (shape == SegmentShape.WORD) out.literal(segment);
                else out.param(date);
                continue;
            }
            Node literal = shape == SegmentShape.WORD && node.literals != null ? node.literals.get(segment) : null;
            if (literal != null) {
                out.literal(segment);
                node = literal;
            } else if (shape != SegmentShape.WORD || (node.generalized && !SegmentShape.isAlias(segment))) {
                out.param(node.param != null ? node.param.date : date);
                node = node.param;
            } else {
                out.literal(segment);
                node = null;
            }
        }
        return out.build();
    }

    /** Requests templated with a parameter forced by the node cap. */
    public long overflow() {
        return overflow;
    }

    /** Trie nodes in use, root included; never more than the cap. */
    public int nodeCount() {
        return nodes;
    }

    /** How many positions have become parameters by cardinality; changes when {@link #resolve} may answer differently. */
    public long generalizations() {
        return generalizations;
    }

    static SegmentShape shapeOf(String segment) {
        if (isParamRule(segment) || isUnfitRule(segment)) return SegmentShape.ID;
        return shapeRule(segment);
    }

    /** The node's parameter child, created when there is room; null when the trie is full. */
    private Node paramChild(Node node, boolean date) {
        if (node.param == null && nodes < maxNodes) {
            node.param = new Node();
            node.param.date = date;
            nodes++;
        }
        return node.param;
    }

    /** Adds a literal child; may generalize the node, in which case the new child is gone and null returned. */
    private Node addLiteral(Node node, String segment) {
        if (node.literals == null) node.literals = new HashMap<>(4);
        Node child = new Node();
        node.literals.put(segment, child);
        nodes++;
        if (SegmentShape.isAlias(segment)) return child;
        if (++node.words > maxLiterals) {
            generalize(node);
            return node.literals.get(segment);
        }
        return child;
    }

    private void generalize(Node node) {
        generalizations++;
        node.generalized = true;
        long total = 0;
        for (Node child : node.literals.values()) total += child.hits;
        long keepAt = Math.max(PathTemplater.KEEP_MIN_HITS, (total * PathTemplater.KEEP_SHARE_PERCENT + 99) / 100);
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<String, Node> e : node.literals.entrySet()) {
            if (SegmentShape.isAlias(e.getKey()) || e.getValue().hits >= keepAt) continue;
            dropped.add(e.getKey());
        }
        for (String key : dropped) nodes -= size(node.literals.remove(key));
        node.words = 0;
        for (String key : node.literals.keySet()) if (!SegmentShape.isAlias(key)) node.words++;
    }

    private static int size(Node node) {
        int n = 1;
        if (node.param != null) n += size(node.param);
        if (node.literals != null) for (Node child : node.literals.values()) n += size(child);
        return n;
    }

    // ---- SegmentShape.of as it was ---------------------------------------------------------

    private static final Pattern VERSION = Pattern.compile("[vV]\\d+(\\.\\d+)*");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ISO_DATE = Pattern.compile("(19|20)\\d\\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?");
    private static final Pattern COMPACT_DATE = Pattern.compile("(19|20)\\d\\d(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(19|20)\\d\\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])[T ]\\d\\d:\\d\\d(:\\d\\d)?([.,]\\d+)?(Z|[+-]\\d\\d:?\\d\\d)?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}");
    private static final int HEX_HASH_LENGTH = 16;
    private static final int TOKEN_LENGTH = 10;
    private static final double TOKEN_ENTROPY_BITS = 2.5;

    static SegmentShape shapeRule(String s) {
        if (s.isEmpty()) return SegmentShape.WORD;
        int digits = 0, lower = 0, upper = 0, hex = 0, other = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') digits++;
            else if (c >= 'a' && c <= 'z') lower++;
            else if (c >= 'A' && c <= 'Z') upper++;
            else other++;
            if (Character.digit(c, 16) >= 0) hex++;
        }
        int n = s.length();
        char first = s.charAt(0);
        // The patterns only run where the counts allow a match: this is called for every segment of
        // every request, and most segments are plain words or plain numbers.
        if ((first == 'v' || first == 'V') && digits > 0 && VERSION.matcher(s).matches()) return SegmentShape.WORD;
        if ((first == '1' || first == '2') && digits >= 6
                && (COMPACT_DATE.matcher(s).matches() || ISO_DATE.matcher(s).matches() || TIMESTAMP.matcher(s).matches()))
            return SegmentShape.DATE;
        if (digits == n || isSignedInteger(s)) return SegmentShape.ID;
        if ((n == 36 && UUID.matcher(s).matches()) || (s.indexOf('@') > 0 && EMAIL.matcher(s).matches())) return SegmentShape.ID;
        if (hex == n && (n >= HEX_HASH_LENGTH || (n >= 8 && digits > 0))) return SegmentShape.ID;
        // Mostly digits with a prefix or separators: ORD-12345, 2024-Q1-0042.
        if (digits >= 4 && digits * 2 >= n) return SegmentShape.ID;
        if (isToken(s, n, digits, lower, upper, other)) return SegmentShape.ID;
        return SegmentShape.WORD;
    }

    private static boolean isToken(String s, int n, int digits, int lower, int upper, int other) {
        if (n < TOKEN_LENGTH || digits == 0) return false;
        if (other > 0) {
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (!Character.isLetterOrDigit(c) && c != '_' && c != '-' && c != '=') return false;
            }
        }
        // Lower case and digits only (nanoid-like) counts when digits are plentiful: k3j4h5g6f7d8.
        boolean mixedCase = lower > 0 && upper > 0;
        if (!mixedCase && digits < 3) return false;
        return entropyBitsPerChar(s) >= TOKEN_ENTROPY_BITS;
    }

    private static double entropyBitsPerChar(String s) {
        int[] counts = new int[128];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
                n++;
            }
        }
        double bits = 0;
        for (int c : counts) {
            if (c == 0) continue;
            double p = (double) c / n;
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }

    /** {@code 42}, {@code -1}, {@code +7}: an integer, signed or not. */
    static boolean isSignedInteger(String s) {
        int start = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (s.length() == start || s.length() - start > 19) return false;
        for (int i = start; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    static boolean isUuidRule(String s) {
        return s.length() == 36 && UUID.matcher(s).matches();
    }

    static boolean isIsoDateRule(String s) {
        return s.length() == 10 && ISO_DATE.matcher(s).matches();
    }

    /** {@link ObservedParameters#kindOf} as it was. */
    static int kindRule(String segment) {
        if (isSignedInteger(segment)) return ObservedParameters.INTEGER;
        if (isUuidRule(segment)) return ObservedParameters.UUID;
        if (shapeRule(segment) == SegmentShape.DATE) return isIsoDateRule(segment) ? ObservedParameters.DATE : ObservedParameters.DATE_TIME;
        return ObservedParameters.TEXT;
    }

    static boolean isParamRule(String segment) {
        return segment.length() >= 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }

    static boolean isUnfitRule(String segment) {
        return segment.equals(".") || segment.equals("..") || segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0
                || segment.indexOf('*') >= 0;
    }

    /** {@link DeclaredTemplates} as it was: literals in a {@code HashMap}, paths as lists of strings. */
    static final class Declared {
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
                if (isParamRule(s)) node = node.param == null ? (node.param = new Node()) : node.param;
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
            if (!(isTemplate && isParamRule(segment))) {
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
}
