package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ShadowResultsTest {
    private static final Redactor REDACTOR = Redactor.of("token");

    private static DiffResult differing(String... paths) {
        List<Difference> differences = new ArrayList<>();
        for (String path : paths)
            differences.add(new Difference(path, DiffKind.VALUE, Optional.of("1"), Optional.of("2")));
        return new DiffResult(differences, false);
    }

    private static SamplePair sample(String target) {
        ResponseExcerpt response = new ResponseExcerpt(200, Map.of(), "{}", 2);
        return new SamplePair("GET", target, response, response);
    }

    private static RouteShadowSummary summary(ShadowResults results, String route) {
        return results.snapshot(route).orElseThrow();
    }

    @Test
    void comparisonsAreCountedAsMatchesAndMismatchesWithTheirRate() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, REDACTOR);
        for (int i = 0; i < 3; i++)
            results.recordComparison("posts", DiffResult.MATCH);
        results.recordComparison("posts", differing("$.title"));

        RouteShadowSummary posts = summary(results, "posts");

        assertThat(posts.comparisons()).isEqualTo(4);
        assertThat(posts.matches()).isEqualTo(3);
        assertThat(posts.mismatches()).isEqualTo(1);
        assertThat(posts.matchRate()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void aRouteWithoutComparisonsHasAZeroMatchRateAndAnUnknownRouteNoSummary() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, REDACTOR);
        results.recordDropped("posts", DropReason.TIMEOUT);

        assertThat(summary(results, "posts").matchRate()).isZero();
        assertThat(results.snapshot("users")).isEmpty();
    }

    @Test
    void routesAreCountedApartAndListedByName() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, REDACTOR);
        results.recordComparison("users", DiffResult.MATCH);
        results.recordComparison("posts", differing("$.a"));

        assertThat(results.snapshot()).extracting(RouteShadowSummary::route).containsExactly("posts", "users");
        assertThat(summary(results, "users").matches()).isEqualTo(1);
        assertThat(summary(results, "posts").matches()).isZero();
    }

    @Test
    void dropsAreCountedByReasonWithEveryReasonListed() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, REDACTOR);
        results.recordDropped("posts", DropReason.QUEUE_FULL);
        results.recordDropped("posts", DropReason.QUEUE_FULL);
        results.recordDropped("posts", DropReason.WRITE_NOT_SHADOWED);
        results.recordDropped("posts", DropReason.SERVICE_FAILED);

        RouteShadowSummary posts = summary(results, "posts");

        assertThat(posts.dropped()).containsOnlyKeys(DropReason.values())
                .containsEntry(DropReason.QUEUE_FULL, 2L)
                .containsEntry(DropReason.WRITE_NOT_SHADOWED, 1L)
                .containsEntry(DropReason.SERVICE_FAILED, 1L)
                .containsEntry(DropReason.BODY_TOO_LARGE, 0L)
                .containsEntry(DropReason.TIMEOUT, 0L);
        assertThat(posts.droppedTotal()).isEqualTo(4);
        assertThat(posts.comparisons()).isZero();
    }

    @Test
    void pathsCountKindsAndComparisonsWithArrayIndexesCollapsed() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, REDACTOR);
        results.recordComparison("posts", new DiffResult(List.of(
                new Difference("$.items[0].price", DiffKind.VALUE, Optional.of("1"), Optional.of("2")),
                new Difference("$.items[1].price", DiffKind.TYPE, Optional.of("3"), Optional.of("\"3\"")),
                new Difference("body@17", DiffKind.BODY, Optional.of("a"), Optional.of("b"))), false));
        results.recordComparison("posts", differing("$.items[5].price"));

        RouteShadowSummary posts = summary(results, "posts");

        assertThat(posts.paths()).extracting(PathStat::path).containsExactly("$.items[*].price", "body");
        PathStat price = posts.path("$.items[*].price").orElseThrow();
        assertThat(price.mismatches()).isEqualTo(2);
        assertThat(price.kinds()).containsEntry(DiffKind.VALUE, 2L).containsEntry(DiffKind.TYPE, 1L);
        assertThat(price.exampleMonolithValue()).contains("1");
        assertThat(price.exampleServiceValue()).contains("2");
        assertThat(price.noise()).isEqualTo(NoiseClass.REAL);
    }

    @Test
    void pathsBeyondTheBoundAreCountedUnderOther() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS.withMaxPathsPerRoute(3), REDACTOR);
        results.recordComparison("posts", differing("$.a", "$.b", "$.c", "$.d", "$.e"));
        results.recordComparison("posts", differing("$.a", "$.f"));

        RouteShadowSummary posts = summary(results, "posts");

        assertThat(posts.paths()).extracting(PathStat::path).containsExactlyInAnyOrder("$.a", "$.b", "$.c", ShadowResults.OTHER_PATHS);
        PathStat other = posts.path(ShadowResults.OTHER_PATHS).orElseThrow();
        assertThat(other.kinds()).containsEntry(DiffKind.VALUE, 3L);
        assertThat(other.mismatches()).isEqualTo(2);
        assertThat(posts.path("$.a").orElseThrow().mismatches()).isEqualTo(2);
        assertThat(posts.paths().getFirst().mismatches()).isEqualTo(2);
    }

    @Test
    void samplesAreBoundedKeepingTheMostRecentMismatchesAndAFewMatches() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS.withSamples(5, 2), REDACTOR);
        for (int i = 0; i < 10; i++) {
            results.recordComparison("posts", differing("$.a"), sample("/mismatch/" + i));
            results.recordComparison("posts", DiffResult.MATCH, sample("/match/" + i));
        }

        List<Sample> samples = summary(results, "posts").samples();

        assertThat(samples).extracting(s -> s.pair().target())
                .containsExactly("/mismatch/9", "/mismatch/8", "/mismatch/7", "/match/9", "/match/8");
        assertThat(samples).extracting(Sample::matched).containsExactly(false, false, false, true, true);
        assertThat(samples.getFirst().differences()).extracting(Difference::path).containsExactly("$.a");
    }

    @Test
    void mismatchesUseTheirSlotsEvenWhenNoMatchCame() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, REDACTOR);
        for (int i = 0; i < 100; i++)
            results.recordComparison("posts", differing("$.a"), sample("/" + i));

        List<Sample> samples = summary(results, "posts").samples();

        assertThat(samples).hasSize(ShadowOptions.DEFAULT_MAX_SAMPLES_PER_ROUTE - ShadowOptions.DEFAULT_MAX_MATCH_SAMPLES_PER_ROUTE);
        assertThat(samples.getFirst().pair().target()).isEqualTo("/99");
    }

    @Test
    void sampleDifferencesAndExampleValuesAreRedacted() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, REDACTOR);
        DiffResult result = new DiffResult(List.of(
                new Difference("$.token", DiffKind.VALUE, Optional.of("\"abc\""), Optional.of("\"def\""))), false);
        results.recordComparison("login", result, sample("/login"));

        RouteShadowSummary login = summary(results, "login");

        assertThat(login.path("$.token").orElseThrow().exampleMonolithValue()).contains("<redacted>");
        assertThat(login.samples().getFirst().differences().getFirst().serviceValue()).contains("<redacted>");
    }

    @Test
    void aTruncatedResultIsAMismatchEvenIfEveryReportedDifferenceIsNoise() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, REDACTOR);
        for (int i = 0; i < 5; i++)
            results.recordMonolithPair("posts", differing("$.at"));
        results.recordComparison("posts", new DiffResult(differing("$.at").differences(), true));

        assertThat(summary(results, "posts").mismatches()).isEqualTo(1);
    }

    @Test
    void badOptionsFailFastNamingEveryProblem() {
        assertThatThrownBy(() -> new ShadowOptions(0, 5, 6, 0, 3, 0.5, 1.5, 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPathsPerRoute: 0 (expected: > 0)")
                .hasMessageContaining("maxMatchSamplesPerRoute: 6 (expected: 0..5)")
                .hasMessageContaining("noiseConfirmShare: 0.0")
                .hasMessageContaining("noiseReleaseShare: 0.5")
                .hasMessageContaining("probableNoiseShare: 1.5");
    }

    @Test
    void countsStayExactWhenManyThreadsRecordAtOnce() throws Exception {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS.withMaxPathsPerRoute(10), REDACTOR);
        int threads = 8;
        int perThread = 5_000;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String route = i % 2 == 0 ? "posts" : "users";
                        if (i % 3 == 0)
                            results.recordComparison(route, DiffResult.MATCH, sample("/" + thread + "/" + i));
                        else
                            results.recordComparison(route, differing("$.p" + (i % 20)), sample("/" + thread + "/" + i));
                        results.recordDropped(route, DropReason.values()[i % DropReason.values().length]);
                        if (i % 100 == 0)
                            results.snapshot();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures)
                future.get(60, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }

        long expectedMatches = 0;
        for (int i = 0; i < perThread; i++)
            if (i % 3 == 0)
                expectedMatches++;
        List<RouteShadowSummary> all = results.snapshot();
        assertThat(all.stream().mapToLong(RouteShadowSummary::comparisons).sum()).isEqualTo((long) threads * perThread);
        assertThat(all.stream().mapToLong(RouteShadowSummary::matches).sum()).isEqualTo(threads * expectedMatches);
        assertThat(all.stream().mapToLong(RouteShadowSummary::droppedTotal).sum()).isEqualTo((long) threads * perThread);
        long pathMismatches = all.stream().flatMap(s -> s.paths().stream()).mapToLong(PathStat::mismatches).sum();
        assertThat(pathMismatches).isEqualTo(threads * (perThread - expectedMatches));
        for (RouteShadowSummary summary : all) {
            assertThat(summary.paths()).hasSizeLessThanOrEqualTo(11);
            assertThat(summary.samples()).hasSizeLessThanOrEqualTo(ShadowOptions.DEFAULT_MAX_SAMPLES_PER_ROUTE);
        }
    }
}
