package dev.strangler.core.catalog;

import java.util.List;

/**
 * Turns raw request paths into templates the way a person would ({@code /users/42/orders} →
 * {@code /users/{userId}/orders}), learning from the traffic it sees, in bounded memory.
 *
 * <h2>Two rules</h2>
 * <ol>
 *   <li><b>Shape.</b> A segment that is obviously an identifier (a number, UUID, hash, date,
 *       timestamp, e-mail or random token; see {@link SegmentShape}) is a parameter at once.</li>
 *   <li><b>Cardinality.</b> Any other segment is a literal until its position proves
 *       high-cardinality: the templater keeps a trie of template prefixes, and once a node has
 *       seen more than {@code maxLiterals} distinct literal children it <em>generalizes</em>: the
 *       position becomes a parameter. Two kinds of children survive that: aliases and verbs
 *       ({@code me}, {@code export}, {@code search}, … {@link SegmentShape#ALIASES}), and children
 *       that carried at least {@value #KEEP_SHARE_PERCENT}% of the node's literal traffic (and
 *       {@value #KEEP_MIN_HITS} requests): a value used that much is an endpoint, not an id. Every
 *       other child is dropped with its subtree; what lies beneath is learnt again under the
 *       parameter.</li>
 * </ol>
 *
 * <h2>Thresholds</h2>
 * {@link #DEFAULT_MAX_LITERALS} is 32. Hand-written APIs rarely have more than 20–30 fixed
 * children under one parent (sub-resources and verbs), while a position of slugs or user names
 * passes 32 distinct values within minutes of traffic; a small number also keeps the memory that
 * a position costs before it generalizes small.
 *
 * <h2>Bounded memory</h2>
 * At most {@code maxNodes} trie nodes exist. A node holds at most {@code maxLiterals + 1}
 * non-alias literal children (it generalizes when it would hold more), and a generalized node
 * admits new literal children only for aliases, so the distinct values remembered per position
 * are capped. When the trie is full, an unseen literal is templated as a parameter instead of
 * being added, and the request is counted in {@link #overflow()}; if the parameter child cannot
 * be created either, the rest of the path is templated as parameters.
 *
 * <h2>Early answers</h2>
 * A position is literal until it generalizes, so the first requests of {@code /posts/a-slug} are
 * templated literally. {@link #resolve(String)} re-templates such an earlier template against
 * what has been learnt since, without learning; {@link Catalog} uses it to merge the entries.
 *
 * <p>Not thread-safe: one thread owns an instance (its catalog's: in the gateway, an event loop).
 */
public final class PathTemplater {
    /** Default cap on trie nodes: about 1–2 MB of heap at most. */
    public static final int DEFAULT_MAX_NODES = 10_000;
    /** Default number of distinct literal children past which a position becomes a parameter. */
    public static final int DEFAULT_MAX_LITERALS = 32;
    static final int KEEP_SHARE_PERCENT = 10;
    static final long KEEP_MIN_HITS = 10;
    /** Segments past this depth are templated as parameters without learning: deep random paths cost nothing. */
    public static final int MAX_DEPTH = 32;

    private static final class Node {
        LiteralChildren<Node> literals;
        /** For a literal child: its segment, so a walk that found it by offsets need not copy the text. */
        String literal;
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
    /** The path {@link #template(String)} or {@link #resolve} is working on, split in place; reused likewise. */
    private final PathSegments scratch = new PathSegments();
    private int nodes = 1;
    private long overflow;
    private long generalizations;

    public PathTemplater() {
        this(DEFAULT_MAX_NODES, DEFAULT_MAX_LITERALS);
    }

    /**
     * @param maxNodes    cap on trie nodes, the memory bound (≥ 1)
     * @param maxLiterals distinct literal children past which a position becomes a parameter (≥ 1)
     */
    public PathTemplater(int maxNodes, int maxLiterals) {
        if (maxNodes < 1) throw new IllegalArgumentException("maxNodes: " + maxNodes + " (expected: >= 1)");
        if (maxLiterals < 1) throw new IllegalArgumentException("maxLiterals: " + maxLiterals + " (expected: >= 1)");
        this.maxNodes = maxNodes;
        this.maxLiterals = maxLiterals;
    }

    /** The template of a raw request path (query, duplicate and trailing slashes ignored), learning from it. */
    public String template(String rawPath) {
        return template(scratch.split(rawPath));
    }

    /**
     * As {@link #template(String)}, for a path already split. Reads the segments in place: a path
     * whose literals are known and whose template is cached allocates nothing; a segment's text is
     * copied only for a word the node learns, and past {@link #MAX_DEPTH}.
     */
    String template(PathSegments segments) {
        Node node = root;
        node.hits++;
        boolean overflowed = false;
        boolean cacheable = true;
        int depth = 0;
        builder.clear();
        for (int i = 0; i < segments.count(); i++) {
            if (++depth > MAX_DEPTH) node = null;
            if (node == null) {
                cacheable = false;
                String segment = segments.text(i);
                builder.param(SegmentShape.isParam(segment) ? segment.equals("{date}") : SegmentShape.of(segment) == SegmentShape.DATE);
                continue;
            }
            // A known literal child is a word by construction: no need to classify it again.
            Node next = node.literals == null ? null : node.literals.get(segments, i);
            SegmentShape shape = next != null ? SegmentShape.WORD : shapeOf(segments.view(i));
            String segment = next != null ? next.literal : null;
            if (next == null && shape != SegmentShape.WORD) {
                next = paramChild(node, shape == SegmentShape.DATE);
            } else if (next == null) {
                if (node.generalized && !SegmentShape.isAlias(segments, i)) {
                    next = paramChild(node, false);
                } else if (nodes >= maxNodes) {
                    overflowed = true;
                    next = paramChild(node, false);
                } else {
                    segment = segments.text(i); // a word this node does not know: copied to be learnt
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

    /**
     * Re-templates a template (or a raw path) against what has been learnt since, without learning.
     * A walk that stays in the trie ends at a node whose cached template is the answer (it depends
     * only on the nodes walked), so resolving a known path, as the coupling does per request, copies
     * nothing. Literal children are words by construction, so one found needs no classifying.
     */
    public String resolve(String template) {
        PathSegments segments = scratch.split(template);
        builder.clear();
        Node node = root;
        for (int i = 0; i < segments.count(); i++) {
            if (i >= MAX_DEPTH) node = null;
            Node literal = node != null && node.literals != null ? node.literals.get(segments, i) : null;
            if (literal != null) {
                builder.literal(literal.literal);
                node = literal;
                continue;
            }
            CharSequence segment = segments.view(i);
            SegmentShape shape = shapeOf(segment);
            boolean date = SegmentShape.isParam(segment) ? segments.is(i, "{date}") : shape == SegmentShape.DATE;
            if (node == null) {
                if (shape == SegmentShape.WORD) builder.literal(segments.text(i));
                else builder.param(date);
            } else if (shape != SegmentShape.WORD || (node.generalized && !SegmentShape.isAlias(segments, i))) {
                builder.param(node.param != null ? node.param.date : date);
                node = node.param;
            } else {
                builder.literal(segments.text(i));
                node = null;
            }
        }
        return node != null && node.template != null ? node.template : builder.build();
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

    private static SegmentShape shapeOf(CharSequence segment) {
        if (SegmentShape.isParam(segment) || SegmentShape.isUnfitForLiteral(segment)) return SegmentShape.ID;
        return SegmentShape.of(segment);
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
        if (node.literals == null) node.literals = new LiteralChildren<>();
        Node child = new Node();
        child.literal = segment;
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
        List<String> keys = node.literals.keys();
        long total = 0;
        for (String key : keys) total += node.literals.get(key).hits;
        long keepAt = Math.max(KEEP_MIN_HITS, (total * KEEP_SHARE_PERCENT + 99) / 100);
        node.words = 0;
        for (String key : keys) {
            if (SegmentShape.isAlias(key)) continue;
            if (node.literals.get(key).hits < keepAt) nodes -= size(node.literals.remove(key));
            else node.words++;
        }
    }

    private static int size(Node node) {
        int n = 1;
        if (node.param != null) n += size(node.param);
        if (node.literals != null) for (String key : node.literals.keys()) n += size(node.literals.get(key));
        return n;
    }
}
