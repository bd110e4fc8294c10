package dev.strangler.core.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import java.util.Iterator;
import java.util.Map;

/**
 * One structural comparison of two JSON trees; single use, not thread-safe.
 *
 * <p>The walk follows the monolith's document order: an object's members in the monolith's order
 * (then the service's extra members), an array's elements by index. The current path is kept as a
 * stack of segments and rendered only when a difference is reported; ignore and unordered-array
 * globs are followed as automaton states alongside ({@link PathGlobs}), so a matching node costs a
 * few bit operations and no string work.
 *
 * <p>Unordered arrays are matched as multisets: each monolith element, in order, takes the first
 * unused service element equal to it (equality here is the same comparison, run as a probe that
 * stops at its first difference). Leftovers are reported as {@code MISSING} at their monolith
 * index and {@code EXTRA} at their service index. With exact equality, an equivalence, this greedy
 * pairing leaves the last elements of each class unmatched on either side, so swapping the two
 * responses swaps {@code MISSING} and {@code EXTRA} and nothing else. Matching is quadratic in the
 * worst case (all elements different), linear when the order is already the same.
 */
final class JsonComparison {
    private final DiffOptions options;
    private final PathGlobs ignored;
    private final PathGlobs unordered;
    private final DifferenceList out;
    private final JsonPathStack path = new JsonPathStack();
    /** Depth of nested equality probes; while positive, the first difference ends the probe and nothing is reported. */
    private int probing;
    private boolean probeFailed;

    JsonComparison(DiffOptions options, PathGlobs ignored, PathGlobs unordered, DifferenceList out) {
        this.options = options;
        this.ignored = ignored;
        this.unordered = unordered;
        this.out = out;
    }

    void compareRoots(JsonNode monolith, JsonNode service) {
        long[] ignoreState = ignored.start();
        if (ignored.matches(ignoreState))
            return;
        compare(monolith, service, ignoreState, unordered.start());
    }

    private boolean isDone() {
        return probing > 0 ? probeFailed : out.isFull();
    }

    private void report(DiffKind kind, JsonNode monolith, JsonNode service) {
        if (probing > 0) {
            probeFailed = true;
            return;
        }
        out.add(path.render(), kind, monolith == null ? null : monolith.toString(), service == null ? null : service.toString());
    }

    private void compare(JsonNode m, JsonNode s, long[] ignoreState, long[] unorderedState) {
        JsonNodeType type = m.getNodeType();
        if (type != s.getNodeType()) {
            report(DiffKind.TYPE, m, s);
            return;
        }
        switch (type) {
            case OBJECT -> compareObjects(m, s, ignoreState, unorderedState);
            case ARRAY -> {
                if (options.unorderedArrays() || unordered.matches(unorderedState))
                    compareUnordered(m, s, ignoreState, unorderedState);
                else
                    compareOrdered(m, s, ignoreState, unorderedState);
            }
            case NUMBER -> {
                if (!Numbers.areEqual(m, s, options))
                    report(DiffKind.VALUE, m, s);
            }
            default -> {
                if (!m.equals(s))
                    report(DiffKind.VALUE, m, s);
            }
        }
    }

    private void compareObjects(JsonNode m, JsonNode s, long[] ignoreState, long[] unorderedState) {
        for (Iterator<Map.Entry<String, JsonNode>> it = m.properties().iterator(); it.hasNext() && !isDone(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String name = member.getKey();
            long[] childIgnore = ignored.stepField(ignoreState, name);
            if (ignored.matches(childIgnore))
                continue;
            JsonNode other = s.get(name);
            path.pushField(name);
            if (other == null)
                report(DiffKind.MISSING, member.getValue(), null);
            else
                compare(member.getValue(), other, childIgnore, unordered.stepField(unorderedState, name));
            path.pop();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.properties().iterator(); it.hasNext() && !isDone(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String name = member.getKey();
            if (m.has(name) || ignored.matches(ignored.stepField(ignoreState, name)))
                continue;
            path.pushField(name);
            report(DiffKind.EXTRA, null, member.getValue());
            path.pop();
        }
    }

    private void compareOrdered(JsonNode m, JsonNode s, long[] ignoreState, long[] unorderedState) {
        int common = Math.min(m.size(), s.size());
        for (int i = 0; i < common && !isDone(); i++) {
            long[] childIgnore = ignored.stepIndex(ignoreState, i);
            if (ignored.matches(childIgnore))
                continue;
            path.pushIndex(i);
            compare(m.get(i), s.get(i), childIgnore, unordered.stepIndex(unorderedState, i));
            path.pop();
        }
        reportLeftovers(DiffKind.MISSING, m, common, null, ignoreState);
        reportLeftovers(DiffKind.EXTRA, s, common, null, ignoreState);
    }

    private void compareUnordered(JsonNode m, JsonNode s, long[] ignoreState, long[] unorderedState) {
        long[] childIgnore = ignored.stepIndex(ignoreState, PathGlobs.ANY_INDEX);
        if (ignored.matches(childIgnore))
            return;
        long[] childUnordered = unordered.stepIndex(unorderedState, PathGlobs.ANY_INDEX);
        boolean[] used = new boolean[s.size()];
        boolean[] matched = new boolean[m.size()];
        int firstUnused = 0;
        for (int i = 0; i < m.size() && !isDone(); i++) {
            for (int j = firstUnused; j < s.size(); j++) {
                if (!used[j] && isSame(m.get(i), s.get(j), childIgnore, childUnordered)) {
                    used[j] = true;
                    matched[i] = true;
                    break;
                }
            }
            while (firstUnused < used.length && used[firstUnused])
                firstUnused++;
        }
        reportLeftovers(DiffKind.MISSING, m, 0, matched, null);
        reportLeftovers(DiffKind.EXTRA, s, 0, used, null);
    }

    /** Reports elements from {@code from} on, skipping matched ones and, when a state is given, ignored ones. */
    private void reportLeftovers(DiffKind kind, JsonNode array, int from, boolean[] matched, long[] ignoreState) {
        for (int i = from; i < array.size() && !isDone(); i++) {
            if (matched != null && matched[i])
                continue;
            if (ignoreState != null && ignored.matches(ignored.stepIndex(ignoreState, i)))
                continue;
            path.pushIndex(i);
            if (kind == DiffKind.MISSING)
                report(kind, array.get(i), null);
            else
                report(kind, null, array.get(i));
            path.pop();
        }
    }

    private boolean isSame(JsonNode m, JsonNode s, long[] ignoreState, long[] unorderedState) {
        if (probing > 0 && probeFailed)
            return false;
        probing++;
        compare(m, s, ignoreState, unorderedState);
        probing--;
        boolean same = !probeFailed;
        probeFailed = false;
        return same;
    }
}
