package dev.strangler.core.coupling;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AffinityClustersTest {

    /**
     * Five known domains of four groups each. Each user session works in one domain (two to four of
     * its groups, in random order), and one session in five also strays into one random group of
     * another domain. Sessions of many users interleave and some users come back after the idle
     * window. Clustering the learnt matrix must recover the domains: adjusted Rand index ≥ 0.8.
     */
    @Test
    void clusteringTheLearntMatrixRecoversKnownDomains() {
        int domains = 5, perDomain = 4;
        Map<String, Integer> truth = new HashMap<>();
        List<List<String>> domainGroups = new ArrayList<>();
        for (int d = 0; d < domains; d++) {
            List<String> gs = new ArrayList<>();
            for (int k = 0; k < perDomain; k++) {
                String g = "/d" + d + "/r" + k;
                gs.add(g);
                truth.put(g, d);
            }
            domainGroups.add(gs);
        }
        SessionAffinity affinity = new SessionAffinity(5_000, 64, Duration.ofMinutes(5));
        Random random = new Random(7);
        long now = 0;
        for (int s = 0; s < 20_000; s++) {
            String user = "user-" + random.nextInt(3_000);
            now += 1_000 + random.nextInt(1_000); // users interleave; a user seen again later is a new session
            List<String> domain = new ArrayList<>(domainGroups.get(random.nextInt(domains)));
            java.util.Collections.shuffle(domain, random);
            int calls = 2 + random.nextInt(3);
            long at = now;
            for (int c = 0; c < calls; c++) affinity.record(user + "#" + s, domain.get(c), at += 10);
            if (random.nextInt(5) == 0) {
                affinity.record(user + "#" + s, "/d" + random.nextInt(domains) + "/r" + random.nextInt(perDomain), at + 10);
            }
        }
        List<List<String>> clusters = AffinityClusters.of(affinity.snapshot(), AffinityClusters.DEFAULT_MIN_SIMILARITY);
        Map<String, Integer> found = new HashMap<>();
        for (int i = 0; i < clusters.size(); i++) for (String g : clusters.get(i)) found.put(g, i);

        assertThat(adjustedRandIndex(truth, found)).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void groupsNeverUsedTogetherStayApart() {
        SessionAffinity a = new SessionAffinity();
        a.record("1", "/a", 0);
        a.record("2", "/b", 0);
        assertThat(AffinityClusters.of(a.snapshot(), 0.2)).containsExactly(List.of("/a"), List.of("/b"));
    }

    @Test
    void theAdjustedRandIndexOfThisTestIsOneForIdenticalAndLowForUnrelatedPartitions() {
        Map<String, Integer> x = Map.of("a", 0, "b", 0, "c", 1, "d", 1, "e", 2, "f", 2);
        assertThat(adjustedRandIndex(x, Map.of("a", 5, "b", 5, "c", 6, "d", 6, "e", 7, "f", 7))).isEqualTo(1.0);
        assertThat(adjustedRandIndex(x, Map.of("a", 0, "b", 1, "c", 2, "d", 0, "e", 1, "f", 2))).isLessThan(0.1);
    }

    /** Hubert and Arabie's adjusted Rand index of two partitions of the same items. */
    static double adjustedRandIndex(Map<String, Integer> truth, Map<String, Integer> found) {
        Map<List<Integer>, Long> cells = new HashMap<>();
        Map<Integer, Long> rows = new HashMap<>(), cols = new HashMap<>();
        for (String item : truth.keySet()) {
            int t = truth.get(item), f = found.getOrDefault(item, -1 - item.hashCode());
            cells.merge(List.of(t, f), 1L, Long::sum);
            rows.merge(t, 1L, Long::sum);
            cols.merge(f, 1L, Long::sum);
        }
        double index = cells.values().stream().mapToDouble(AffinityClustersTest::choose2).sum();
        double a = rows.values().stream().mapToDouble(AffinityClustersTest::choose2).sum();
        double b = cols.values().stream().mapToDouble(AffinityClustersTest::choose2).sum();
        double expected = a * b / choose2(truth.size());
        double max = (a + b) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }

    private static double choose2(long n) {
        return n * (n - 1) / 2.0;
    }
}
