package dev.strangler.core.coupling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Groups that move well together: average-linkage agglomerative clustering of the affinity matrix.
 * Every group starts alone; the two clusters whose groups are most similar on average (Jaccard
 * similarity of their sessions) are merged, until no two clusters reach {@code minSimilarity}.
 * Deterministic: ties go to the clusters whose first names sort first. Cubic in the number of
 * groups, which the matrix bounds (a few hundred at most).
 */
public final class AffinityClusters {
    /** Below this average similarity two clusters stay apart: fewer than 1 in 5 of their sessions overlap. */
    public static final double DEFAULT_MIN_SIMILARITY = 0.2;

    private AffinityClusters() {}

    /** Clusters of the groups, each sorted by name, clusters ordered by their first name. */
    public static List<List<String>> of(Affinity affinity, double minSimilarity) {
        return of(affinity, affinity.groups().keySet(), minSimilarity);
    }

    public static List<List<String>> of(Affinity affinity, Collection<String> groups, double minSimilarity) {
        List<List<String>> clusters = new ArrayList<>();
        for (String g : new TreeSet<>(groups)) clusters.add(new ArrayList<>(List.of(g)));
        while (clusters.size() > 1) {
            int bestA = -1, bestB = -1;
            double best = minSimilarity;
            for (int a = 0; a < clusters.size(); a++) {
                for (int b = a + 1; b < clusters.size(); b++) {
                    double s = averageSimilarity(affinity, clusters.get(a), clusters.get(b));
                    if (s > best || (s == best && bestA < 0 && s > 0)) {
                        best = s;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            if (bestA < 0) break;
            clusters.get(bestA).addAll(clusters.remove(bestB));
        }
        clusters.forEach(c -> c.sort(null));
        clusters.sort((x, y) -> x.getFirst().compareTo(y.getFirst()));
        return clusters.stream().map(List::copyOf).toList();
    }

    private static double averageSimilarity(Affinity affinity, List<String> x, List<String> y) {
        double sum = 0;
        for (String a : x) for (String b : y) sum += affinity.similarity(a, b);
        return sum / (x.size() * y.size());
    }
}
