package dev.strangler.core.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
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
 * <p>Ordered arrays are aligned before they are compared, so that one element inserted at the front
 * of a list is one {@code EXTRA $[0]}, not a difference at every index after it. The alignment trims
 * the common prefix and suffix (elements equal by the same comparison, run as a probe), then takes a
 * longest common subsequence of the middle (dynamic programming over at most
 * {@value #MAX_ALIGNMENT_CELLS} element pairs; a larger middle is compared by position, which is
 * what the engine did before: bounded cost on the request path beats a perfect report). Between two
 * aligned elements, the unaligned ones of each side are paired by position and compared in depth
 * (one changed element is a {@code VALUE} difference inside it, not a {@code MISSING} and an
 * {@code EXTRA}); the rest are {@code MISSING} at their monolith index or {@code EXTRA} at their
 * service index. A paired element is reported at its monolith index. Inside an equality probe an
 * ordered array is compared by position: equal arrays are equal position by position.
 *
 * <p>Keyed arrays ({@link DiffOptions#arrayKey()}): when every element on both sides is an object with
 * a scalar value at the key member, unique on its side, elements are paired by that value whatever
 * their order; an unpaired element is {@code MISSING} or {@code EXTRA}. This holds for ordered and
 * unordered arrays alike; arrays that do not qualify follow their own rule.
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
    /** Element pairs the alignment of one ordered array may probe; past it, the middle is compared by position. */
    static final int MAX_ALIGNMENT_CELLS = 10_000;

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
                if (compareKeyed(m, s, ignoreState, unorderedState))
                    return;
                if (options.unorderedArrays() || unordered.matches(unorderedState))
                    compareUnordered(m, s, ignoreState, unorderedState);
                else if (probing > 0 || !options.alignArrays())
                    comparePositional(m, s, ignoreState, unorderedState);
                else
                    compareAligned(m, s, ignoreState, unorderedState);
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

    /** Pairs elements by their key member; false (nothing compared) when the arrays do not qualify. */
    private boolean compareKeyed(JsonNode m, JsonNode s, long[] ignoreState, long[] unorderedState) {
        if (options.arrayKey().isEmpty())
            return false;
        String key = options.arrayKey().get();
        Map<String, Integer> serviceByKey = keyIndex(s, key);
        if (serviceByKey == null || keyIndex(m, key) == null)
            return false;
        boolean[] paired = new boolean[s.size()];
        for (int i = 0; i < m.size() && !isDone(); i++) {
            JsonNode element = m.get(i);
            Integer j = serviceByKey.get(element.get(key).toString());
            if (j != null)
                paired[j] = true;
            long[] childIgnore = ignored.stepIndex(ignoreState, i);
            if (ignored.matches(childIgnore))
                continue;
            path.pushIndex(i);
            if (j == null)
                report(DiffKind.MISSING, element, null);
            else
                compare(element, s.get(j), childIgnore, unordered.stepIndex(unorderedState, i));
            path.pop();
        }
        reportLeftovers(DiffKind.EXTRA, s, 0, paired, ignoreState);
        return true;
    }

    /** Element index by key value, or null when an element is not an object with a scalar key or a key repeats. */
    private static Map<String, Integer> keyIndex(JsonNode array, String key) {
        Map<String, Integer> byKey = new HashMap<>(array.size() * 2);
        for (int i = 0; i < array.size(); i++) {
            JsonNode value = array.get(i).get(key);
            if (value == null || !value.isValueNode() || value.isNull() || byKey.put(value.toString(), i) != null)
                return null;
        }
        return byKey;
    }

    private void compareAligned(JsonNode m, JsonNode s, long[] ignoreState, long[] unorderedState) {
        int[] mi = compared(m, ignoreState);
        int[] si = compared(s, ignoreState);
        int a = mi.length;
        int b = si.length;
        int prefix = 0;
        while (prefix < a && prefix < b && isSameAt(m, mi[prefix], s, si[prefix], ignoreState, unorderedState))
            prefix++;
        int suffix = 0;
        while (suffix < a - prefix && suffix < b - prefix
                && isSameAt(m, mi[a - 1 - suffix], s, si[b - 1 - suffix], ignoreState, unorderedState))
            suffix++;
        int middleA = a - prefix - suffix;
        int middleB = b - prefix - suffix;
        // aligned pairs of the middle, as positions in mi and si
        List<int[]> aligned = new ArrayList<>();
        if (middleA > 0 && middleB > 0 && (long) middleA * middleB <= MAX_ALIGNMENT_CELLS)
            aligned = longestCommonSubsequence(m, mi, s, si, prefix, middleA, middleB, ignoreState, unorderedState);
        int fromA = prefix;
        int fromB = prefix;
        for (int[] pair : aligned) {
            compareHunk(m, mi, fromA, pair[0], s, si, fromB, pair[1], ignoreState, unorderedState);
            fromA = pair[0] + 1;
            fromB = pair[1] + 1;
        }
        compareHunk(m, mi, fromA, a - suffix, s, si, fromB, b - suffix, ignoreState, unorderedState);
    }

    /** The indexes of an array's elements that are not ignored. */
    private int[] compared(JsonNode array, long[] ignoreState) {
        int[] indexes = new int[array.size()];
        int n = 0;
        for (int i = 0; i < array.size(); i++)
            if (!ignored.matches(ignored.stepIndex(ignoreState, i)))
                indexes[n++] = i;
        return n == indexes.length ? indexes : java.util.Arrays.copyOf(indexes, n);
    }

    private boolean isSameAt(JsonNode m, int i, JsonNode s, int j, long[] ignoreState, long[] unorderedState) {
        return isSame(m.get(i), s.get(j), ignored.stepIndex(ignoreState, i), unordered.stepIndex(unorderedState, i));
    }

    /** LCS of mi[from, from+a) and si[from, from+b) by element equality; pairs of positions in mi and si, in order. */
    private List<int[]> longestCommonSubsequence(JsonNode m, int[] mi, JsonNode s, int[] si, int from, int a, int b,
                                                 long[] ignoreState, long[] unorderedState) {
        boolean[][] same = new boolean[a][b];
        int[][] length = new int[a + 1][b + 1];
        for (int i = a - 1; i >= 0; i--) {
            for (int j = b - 1; j >= 0; j--) {
                same[i][j] = isSameAt(m, mi[from + i], s, si[from + j], ignoreState, unorderedState);
                length[i][j] = same[i][j] ? length[i + 1][j + 1] + 1 : Math.max(length[i + 1][j], length[i][j + 1]);
            }
        }
        List<int[]> pairs = new ArrayList<>(length[0][0]);
        int i = 0;
        int j = 0;
        while (i < a && j < b) {
            if (same[i][j] && length[i][j] == length[i + 1][j + 1] + 1) {
                pairs.add(new int[] {from + i, from + j});
                i++;
                j++;
            } else if (length[i + 1][j] >= length[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return pairs;
    }

    /**
     * The unaligned elements between two aligned ones: paired by position and compared in depth, the
     * rest missing or extra.
     */
    private void compareHunk(JsonNode m, int[] mi, int fromA, int toA, JsonNode s, int[] si, int fromB, int toB,
                             long[] ignoreState, long[] unorderedState) {
        int paired = Math.min(toA - fromA, toB - fromB);
        for (int k = 0; k < paired && !isDone(); k++) {
            int i = mi[fromA + k];
            path.pushIndex(i);
            compare(m.get(i), s.get(si[fromB + k]), ignored.stepIndex(ignoreState, i), unordered.stepIndex(unorderedState, i));
            path.pop();
        }
        for (int k = fromA + paired; k < toA && !isDone(); k++) {
            path.pushIndex(mi[k]);
            report(DiffKind.MISSING, m.get(mi[k]), null);
            path.pop();
        }
        for (int k = fromB + paired; k < toB && !isDone(); k++) {
            path.pushIndex(si[k]);
            report(DiffKind.EXTRA, null, s.get(si[k]));
            path.pop();
        }
    }

    private void comparePositional(JsonNode m, JsonNode s, long[] ignoreState, long[] unorderedState) {
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
