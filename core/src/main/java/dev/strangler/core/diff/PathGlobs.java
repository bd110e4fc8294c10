package dev.strangler.core.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of path globs compiled into one nondeterministic automaton over path segments, so the
 * comparison asks "is this node matched?" with a few bit operations per node instead of rendering
 * the path and running a regex.
 *
 * <p>Every glob of k tokens owns k + 1 consecutive positions; the last one accepts. A state is the
 * bit set of live positions. Descending into a member or element steps the state: a position whose
 * token matches the segment moves to the next position, a {@code ..} position stays live (it may
 * skip any number of levels) and, through the epsilon closure, also makes its next position live
 * (it may skip none). A node is matched when an accepting position is live. States are immutable
 * arrays shared down the tree; {@link #NONE} (no live position) is the common case and costs
 * nothing to step, so routes without globs pay no allocation.
 */
final class PathGlobs {
    static final long[] NONE = new long[0];
    /** Stands for "some element" inside an unordered array: only wildcards match it. */
    static final int ANY_INDEX = -1;

    private static final byte FIELD = 0, INDEX = 1, ANY = 2, DESCENDANTS = 3, ACCEPT = 4;

    private final byte[] kinds;
    private final String[] names;
    private final int[] indexes;
    private final long[] acceptMask;
    private final boolean hasDescendants;
    private final long[] start;

    private PathGlobs(List<List<PathGlob.Token>> globs) {
        int size = 0;
        for (List<PathGlob.Token> g : globs)
            size += g.size() + 1;
        kinds = new byte[size];
        names = new String[size];
        indexes = new int[size];
        acceptMask = new long[words(size)];
        long[] initial = new long[words(size)];
        boolean descendants = false;
        int p = 0;
        for (List<PathGlob.Token> g : globs) {
            set(initial, p);
            for (PathGlob.Token t : g) {
                kinds[p] = switch (t.kind()) {
                    case FIELD -> FIELD;
                    case INDEX -> INDEX;
                    case ANY -> ANY;
                    case DESCENDANTS -> DESCENDANTS;
                };
                descendants |= t.kind() == PathGlob.Kind.DESCENDANTS;
                names[p] = t.name();
                indexes[p] = t.index();
                p++;
            }
            kinds[p] = ACCEPT;
            set(acceptMask, p);
            p++;
        }
        hasDescendants = descendants;
        start = size == 0 ? NONE : close(initial);
    }

    static PathGlobs compile(List<String> globs) {
        List<List<PathGlob.Token>> parsed = new ArrayList<>(globs.size());
        for (String g : globs)
            parsed.add(PathGlob.parse(g));
        return new PathGlobs(parsed);
    }

    /** The state at the root {@code $}. */
    long[] start() {
        return start;
    }

    long[] stepField(long[] state, String name) {
        return step(state, name, ANY_INDEX);
    }

    /** Steps into an element; {@link #ANY_INDEX} for an element of an unordered array. */
    long[] stepIndex(long[] state, int index) {
        return step(state, null, index);
    }

    boolean matches(long[] state) {
        for (int w = 0; w < state.length; w++)
            if ((state[w] & acceptMask[w]) != 0)
                return true;
        return false;
    }

    private long[] step(long[] state, String name, int index) {
        if (state == NONE)
            return NONE;
        long[] next = null;
        for (int w = 0; w < state.length; w++) {
            long bits = state[w];
            while (bits != 0) {
                int p = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                int target = switch (kinds[p]) {
                    case DESCENDANTS -> p;
                    case ANY -> p + 1;
                    case FIELD -> name != null && name.equals(names[p]) ? p + 1 : -1;
                    case INDEX -> name == null && index >= 0 && index == indexes[p] ? p + 1 : -1;
                    default -> -1;
                };
                if (target >= 0) {
                    if (next == null)
                        next = new long[state.length];
                    set(next, target);
                }
            }
        }
        return next == null ? NONE : close(next);
    }

    private long[] close(long[] state) {
        if (hasDescendants)
            for (int p = 0; p < kinds.length; p++)
                if (kinds[p] == DESCENDANTS && (state[p >>> 6] & (1L << p)) != 0)
                    set(state, p + 1);
        return state;
    }

    private static int words(int bits) {
        return (bits + 63) >>> 6;
    }

    private static void set(long[] bits, int p) {
        bits[p >>> 6] |= 1L << p;
    }
}
