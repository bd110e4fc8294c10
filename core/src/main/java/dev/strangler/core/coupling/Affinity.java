package dev.strangler.core.coupling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The affinity matrix over endpoint groups: how many sessions (one client key, requests no more
 * than an idle window apart) used each group, and each pair of groups together. A value that adds
 * up: two gateways' matrices sum to the fleet's ({@link #plus}); a session that one load balancer
 * spread over two gateways counts as two there, so the fleet's coupling is, if anything, understated.
 *
 * @param sessions total sessions seen
 * @param groups   sessions that used each group
 * @param pairs    sessions that used both groups of a pair
 */
public record Affinity(long sessions, Map<String, Long> groups, Map<Pair, Long> pairs) {
    public static final Affinity NONE = new Affinity(0, Map.of(), Map.of());

    public Affinity {
        groups = Map.copyOf(groups);
        pairs = Map.copyOf(pairs);
        if (sessions < 0) throw new IllegalArgumentException("sessions: " + sessions + " (expected: >= 0)");
    }

    /** An unordered pair of groups, kept with {@code a < b} so each pair has one key. */
    public record Pair(String a, String b) implements Comparable<Pair> {
        public Pair {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
            if (a.compareTo(b) >= 0) throw new IllegalArgumentException("pair: " + a + ", " + b + " (expected: a < b)");
        }

        public static Pair of(String x, String y) {
            return x.compareTo(y) < 0 ? new Pair(x, y) : new Pair(y, x);
        }

        @Override
        public int compareTo(Pair o) {
            int c = a.compareTo(o.a);
            return c != 0 ? c : b.compareTo(o.b);
        }
    }

    /**
     * A group used together with another.
     *
     * @param share    of the sessions of the group asked about, the share that also used {@code group}
     * @param sessions sessions that used both
     */
    public record Coupled(String group, double share, long sessions) {}

    public boolean isEmpty() {
        return sessions == 0;
    }

    public long sessionsWith(String group) {
        return groups.getOrDefault(group, 0L);
    }

    public long sessionsWithBoth(String x, String y) {
        if (x.equals(y)) return sessionsWith(x);
        return pairs.getOrDefault(Pair.of(x, y), 0L);
    }

    /** Of the sessions that used {@code group}, the share that also used {@code other}: what moving {@code group} alone splits. */
    public double splitShare(String group, String other) {
        long with = sessionsWith(group);
        return with == 0 ? 0 : (double) sessionsWithBoth(group, other) / with;
    }

    /**
     * The groups among {@code candidates} whose share of {@code group}'s sessions is at least
     * {@code atLeast}, tightest first (then by name).
     */
    public List<Coupled> coupledTo(String group, Collection<String> candidates, double atLeast) {
        List<Coupled> out = new ArrayList<>();
        if (sessionsWith(group) == 0) return out;
        for (String other : candidates) {
            if (other.equals(group)) continue;
            double share = splitShare(group, other);
            if (share > 0 && share >= atLeast) out.add(new Coupled(other, share, sessionsWithBoth(group, other)));
        }
        out.sort(Comparator.comparingDouble(Coupled::share).reversed().thenComparing(Coupled::group));
        return out;
    }

    /** Jaccard similarity of two groups' sessions: both / either; 0 when neither was used. */
    public double similarity(String x, String y) {
        long both = sessionsWithBoth(x, y);
        long either = sessionsWith(x) + sessionsWith(y) - both;
        return either == 0 ? 0 : (double) both / either;
    }

    /** Both matrices as one (two gateways, or a stored snapshot and what came since). */
    public Affinity plus(Affinity other) {
        Map<String, Long> g = new TreeMap<>(groups);
        other.groups.forEach((k, v) -> g.merge(k, v, Long::sum));
        Map<Pair, Long> p = new TreeMap<>(pairs);
        other.pairs.forEach((k, v) -> p.merge(k, v, Long::sum));
        return new Affinity(sessions + other.sessions, g, p);
    }
}
