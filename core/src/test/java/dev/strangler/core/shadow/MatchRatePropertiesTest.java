package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The match rate of a fixed multiset of comparisons and monolith pairs does not depend on the order in
 * which they arrive. Paths come from a small alphabet so that paths are confirmed, released and shared
 * between comparisons often.
 */
class MatchRatePropertiesTest {
    private static final List<String> PATHS = List.of("$.a", "$.b", "$.items[*].at", "status");

    /** A monolith pair: the paths both answers had, and the ones of those that differed. */
    record Pair(Set<String> present, Set<String> differing) {
        DiffResult result() {
            return new DiffResult(differing.stream().sorted().map(MatchRatePropertiesTest::difference).toList(), false, present);
        }
    }

    private static Difference difference(String path) {
        String reported = path.replace("[*]", "[3]");
        return new Difference(reported, DiffKind.VALUE, Optional.of("1"), Optional.of("2"));
    }

    @Provide
    Arbitrary<List<Set<String>>> comparisons() {
        return Arbitraries.of(PATHS).set().ofMaxSize(3).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Pair>> pairs() {
        Arbitrary<Set<String>> present = Arbitraries.of(PATHS).set().ofMaxSize(4);
        Arbitrary<Pair> pair = Combinators.combine(present, Arbitraries.randomValue(r -> r.nextLong()))
                .as((p, seed) -> {
                    Random random = new Random(seed);
                    Set<String> differing = new java.util.TreeSet<>();
                    for (String path : p)
                        if (random.nextInt(4) > 0)
                            differing.add(path);
                    return new Pair(p, differing);
                });
        return pair.list().ofMaxSize(40);
    }

    private static RouteShadowSummary replay(List<Object> events) {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        for (Object event : events) {
            if (event instanceof Pair pair)
                results.recordMonolithPair("r", pair.result());
            else {
                @SuppressWarnings("unchecked")
                Set<String> paths = (Set<String>) event;
                results.recordComparison("r", new DiffResult(paths.stream().sorted().map(MatchRatePropertiesTest::difference).toList(), false));
            }
        }
        return results.snapshot("r").orElseThrow();
    }

    @Property(tries = 300)
    void theMatchRateDoesNotDependOnTheOrderOfTheComparisonsNorOnWhereThePairsFallAmongThem(
            @ForAll("comparisons") List<Set<String>> comparisons, @ForAll("pairs") List<Pair> pairs, @ForAll long seed) {
        Assume.that(!comparisons.isEmpty());
        List<Object> inOrder = new ArrayList<>(pairs);
        inOrder.addAll(comparisons);

        Random random = new Random(seed);
        List<Object> shuffledComparisons = new ArrayList<>(comparisons);
        Collections.shuffle(shuffledComparisons, random);
        // the pairs keep their order, each inserted at a random place among the comparisons
        List<Object> interleaved = new ArrayList<>(shuffledComparisons);
        int from = 0;
        for (Pair pair : pairs) {
            int at = from + random.nextInt(interleaved.size() - from + 1);
            interleaved.add(at, pair);
            from = at + 1;
        }

        RouteShadowSummary expected = replay(inOrder);
        RouteShadowSummary actual = replay(interleaved);
        assertThat(actual.matches()).isEqualTo(expected.matches());
        assertThat(actual.matchRate()).isEqualTo(expected.matchRate());
    }

    @Property(tries = 300)
    void outsideTheHysteresisBandTheMatchRateDoesNotDependOnTheOrderOfThePairsEither(
            @ForAll("comparisons") List<Set<String>> comparisons, @ForAll("pairs") List<Pair> pairs, @ForAll long seed) {
        Assume.that(!comparisons.isEmpty());
        Map<String, long[]> evidence = new TreeMap<>();
        for (Pair pair : pairs) {
            for (String path : pair.present()) {
                long[] e = evidence.computeIfAbsent(path, p -> new long[2]);
                e[0]++;
                if (pair.differing().contains(path))
                    e[1]++;
            }
        }
        ShadowOptions o = ShadowOptions.DEFAULTS;
        for (long[] e : evidence.values()) {
            double share = (double) e[1] / e[0];
            Assume.that(share < o.noiseReleaseShare() || share >= o.noiseConfirmShare());
        }
        List<Object> inOrder = new ArrayList<>(pairs);
        inOrder.addAll(comparisons);
        List<Object> shuffled = new ArrayList<>(inOrder);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(replay(shuffled).matchRate()).isEqualTo(replay(inOrder).matchRate());
    }
}
