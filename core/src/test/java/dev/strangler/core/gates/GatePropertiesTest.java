package dev.strangler.core.gates;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of the gates: a service that behaves exactly like the monolith is never rolled back. */
class GatePropertiesTest {

    @Provide
    Arbitrary<List<Double>> latencies() {
        // coarse values as well as fine ones, so that ties are common
        Arbitrary<Double> coarse = Arbitraries.integers().between(0, 20).map(i -> i * 5.0);
        Arbitrary<Double> fine = Arbitraries.doubles().between(0, 2000);
        return Arbitraries.oneOf(coarse, fine).list().ofMinSize(0).ofMaxSize(120);
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Property
    void aServiceWithTheMonolithsOwnErrorCountsNeverFails(@ForAll @LongRange(min = 0, max = 100_000) long requests,
                                                         @ForAll @DoubleRange(min = 0, max = 1) double errorShare,
                                                         @ForAll @DoubleRange(min = 0, max = 0.2) double maxIncrease,
                                                         @ForAll @DoubleRange(min = 0.01, max = 0.5) double alpha) {
        long errors = Math.round(requests * errorShare);

        ErrorRateResult result = new ProportionTest(maxIncrease, alpha, 1).judge(errors, requests, errors, requests);

        assertThat(result.verdict()).isNotEqualTo(Verdict.FAIL);
    }

    @Property
    void aServiceWithTheMonolithsOwnLatencySampleNeverFails(@ForAll("latencies") List<Double> sample,
                                                           @ForAll @DoubleRange(min = 0, max = 1) double maxIncrease,
                                                           @ForAll @DoubleRange(min = 0.01, max = 0.5) double alpha,
                                                           @ForAll @IntRange(min = 1, max = 30) int minSamples) {
        LatencyResult result = new MannWhitneyTest(maxIncrease, alpha, minSamples).judge(array(sample), array(sample));

        assertThat(result.verdict()).isNotEqualTo(Verdict.FAIL);
    }

    @Property
    void theLatencyVerdictDoesNotDependOnTheOrderOfTheSamples(@ForAll("latencies") List<Double> service,
                                                            @ForAll("latencies") List<Double> monolith,
                                                            @ForAll long seed) {
        MannWhitneyTest gate = new MannWhitneyTest(0.1, 0.05, 5);
        List<Double> serviceShuffled = new ArrayList<>(service);
        List<Double> monolithShuffled = new ArrayList<>(monolith);
        Random random = new Random(seed);
        Collections.shuffle(serviceShuffled, random);
        Collections.shuffle(monolithShuffled, random);

        assertThat(gate.judge(array(serviceShuffled), array(monolithShuffled)))
                .isEqualTo(gate.judge(array(service), array(monolith)));
    }

    @Property
    void uAndItsMirrorAddUpToTheProductOfTheSampleSizes(@ForAll("latencies") List<Double> a,
                                                       @ForAll("latencies") List<Double> b) {
        MannWhitneyTest gate = new MannWhitneyTest(0.0, 0.05, 1);
        if (a.isEmpty() || b.isEmpty()) return;

        double u = gate.judge(array(a), array(b)).u();
        double mirror = gate.judge(array(b), array(a)).u();

        assertThat(u + mirror).isEqualTo((double) a.size() * b.size());
    }
}
