package dev.strangler.control.view;

import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.coupling.AffinityClusters;
import dev.strangler.core.coupling.SessionAffinity;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The catalog page's coupling: which endpoint groups the same client sessions use together, from
 * the fleet's matrix (the store's {@code endpoint_coupling}, what {@code /api/catalog} gives as
 * {@code coupling} and {@code analyze --coupling} prints). Each pair says what moving one group alone
 * splits: the share of its sessions that also used the other. The sets are the groups used together
 * ({@link AffinityClusters}, the same clustering as {@code analyze}).
 *
 * @param sessions    client sessions seen (one client key, requests at most {@code idleMinutes} apart)
 * @param pairs       the pairs used together by at least one session, most sessions first; at most {@value #PAIRS_SHOWN}
 * @param pairsInAll  how many pairs the matrix has (more than {@code pairs} holds when cut)
 * @param together    sets of two or more groups used together, each sorted by name
 */
public record CouplingView(long sessions, long idleMinutes, List<PairView> pairs, int pairsInAll, List<List<String>> together) {
    /** The page lists this many pairs; the rest are counted. */
    public static final int PAIRS_SHOWN = 50;

    public CouplingView {
        pairs = List.copyOf(pairs);
        together = together.stream().map(List::copyOf).toList();
    }

    /**
     * Two groups and the sessions that used both.
     *
     * @param sessionsA sessions that used {@code a}
     * @param shareOfA  of {@code a}'s sessions, the share that also used {@code b} (what moving {@code a} alone splits)
     */
    public record PairView(String a, String b, long sessions, long sessionsA, long sessionsB, double shareOfA, double shareOfB) {}

    /** The view of a matrix; pure. */
    public static CouplingView of(Affinity affinity) {
        List<PairView> pairs = affinity.pairs().entrySet().stream()
                .sorted(Comparator.<Map.Entry<Affinity.Pair, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(PAIRS_SHOWN)
                .map(e -> {
                    String a = e.getKey().a();
                    String b = e.getKey().b();
                    return new PairView(a, b, e.getValue(), affinity.sessionsWith(a), affinity.sessionsWith(b),
                            affinity.splitShare(a, b), affinity.splitShare(b, a));
                }).toList();
        List<List<String>> together = AffinityClusters.of(affinity, AffinityClusters.DEFAULT_MIN_SIMILARITY).stream()
                .filter(cluster -> cluster.size() > 1).toList();
        return new CouplingView(affinity.sessions(), SessionAffinity.DEFAULT_IDLE.toMinutes(), pairs, affinity.pairs().size(), together);
    }
}
