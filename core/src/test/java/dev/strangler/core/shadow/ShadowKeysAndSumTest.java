package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ShadowKeysAndSumTest {
    private static final ShadowKey OLD = new ShadowKey("posts", "posts-v1", "aaaa");
    private static final ShadowKey NEW = new ShadowKey("posts", "posts-v2", "bbbb");

    private static DiffResult differing(String path) {
        return new DiffResult(List.of(new Difference(path, DiffKind.VALUE, Optional.of("1"), Optional.of("2"))), false);
    }

    private static SamplePair sample(String target) {
        ResponseExcerpt response = new ResponseExcerpt(200, Map.of(), "{}", 2);
        return new SamplePair("GET", target, response, response);
    }

    @Test
    void aNewServiceStartsFreshResultsAndTheOldOnesAreKeptUnderTheirKey() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        results.recordComparison(OLD, differing("$.title"));
        results.recordComparison(OLD, differing("$.title"));
        results.recordComparison(NEW, DiffResult.MATCH);

        assertThat(results.snapshot("posts").orElseThrow().comparisons()).isEqualTo(1);
        assertThat(results.snapshot("posts").orElseThrow().matchRate()).isEqualTo(1.0);
        assertThat(results.snapshot(OLD).orElseThrow().mismatches()).isEqualTo(2);
        assertThat(results.results()).extracting(ShadowResult::key).containsExactly(OLD, NEW);
    }

    @Test
    void theMonolithsNoiseIsLearnedPerRouteWhateverTheService() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        for (int i = 0; i < 5; i++)
            results.recordMonolithPair("posts", differing("$.at"));
        results.recordComparison(NEW, differing("$.at"));

        assertThat(results.snapshot(NEW).orElseThrow().matches()).isEqualTo(1);
        assertThat(results.noiseFilter("posts").isConfirmed("$.at")).isTrue();
    }

    @Test
    void summariesOfSeveralGatewaysAddUpCountsPathsAndNoiseEvidence() {
        ShadowResults a = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        ShadowResults b = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        a.recordComparison(NEW, differing("$.title"), sample("/a"));
        a.recordComparison(NEW, DiffResult.MATCH);
        b.recordComparison(NEW, differing("$.title"), sample("/b"));
        b.recordDropped(NEW, DropReason.TIMEOUT);

        RouteShadowSummary sum = ShadowSum.of("posts", List.of(a.snapshot(NEW).orElseThrow(), b.snapshot(NEW).orElseThrow()), 20);

        assertThat(sum.comparisons()).isEqualTo(3);
        assertThat(sum.matches()).isEqualTo(1);
        assertThat(sum.mismatches()).isEqualTo(2);
        assertThat(sum.matchRate()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(sum.dropped().get(DropReason.TIMEOUT)).isEqualTo(1);
        assertThat(sum.path("$.title").orElseThrow().mismatches()).isEqualTo(2);
        assertThat(sum.path("$.title").orElseThrow().kinds().get(DiffKind.VALUE)).isEqualTo(2);
        assertThat(sum.samples()).extracting(s -> s.pair().target()).containsExactly("/a", "/b");
    }

    @Test
    void theSumKeepsAtMostTheSampleBoundMismatchesFirst() {
        ShadowResults a = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        ShadowResults b = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        a.recordComparison(NEW, DiffResult.MATCH, sample("/match"));
        for (int i = 0; i < 3; i++)
            b.recordComparison(NEW, differing("$.x"), sample("/differ" + i));

        RouteShadowSummary sum = ShadowSum.of("posts", List.of(a.snapshot(NEW).orElseThrow(), b.snapshot(NEW).orElseThrow()), 2);

        assertThat(sum.samples()).hasSize(2).allMatch(s -> !s.matched());
    }

    @Test
    void aPathConfirmedAsNoiseOnAnyGatewayIsConfirmedInTheSum() {
        ShadowResults a = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        ShadowResults b = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        for (int i = 0; i < 5; i++)
            a.recordMonolithPair("posts", differing("$.at"));
        a.recordComparison(NEW, differing("$.at"));
        b.recordComparison(NEW, differing("$.at"));

        PathStat at = ShadowSum.of("posts", List.of(a.snapshot(NEW).orElseThrow(), b.snapshot(NEW).orElseThrow()), 20)
                .path("$.at").orElseThrow();

        assertThat(at.noise()).isEqualTo(NoiseClass.NOISE_CONFIRMED);
        assertThat(at.noiseEvidence().pairs()).isEqualTo(5);
    }
}
