package dev.strangler.core.shadow;

import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffOptions;
import dev.strangler.core.diff.ResponseDiffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The noise judgement over messy traffic: error bodies that carry a changing {@code $.timestamp},
 * between many ordinary answers that have no such field.
 */
class NoiseHysteresisTest {
    private static final ResponseDiffer DIFFER = new ResponseDiffer(DiffOptions.DEFAULTS);

    private static CapturedResponse json(int status, String body) {
        return CapturedResponse.of(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static CapturedResponse error(long millis) {
        return json(404, "{\"error\":\"not found\",\"timestamp\":\"2026-11-30T17:00:00." + String.format("%03d", millis % 1000) + "Z\"}");
    }

    private static CapturedResponse ordinary(int id) {
        return json(200, "{\"id\":" + id + ",\"name\":\"Lamp\"}");
    }

    private static void errorPair(ShadowResults results, int i) {
        results.recordMonolithPair("items", DIFFER.diffRecordingPresence(error(2 * i), error(2 * i + 1)));
    }

    private static void ordinaryPair(ShadowResults results, int i) {
        results.recordMonolithPair("items", DIFFER.diffRecordingPresence(ordinary(i), ordinary(i)));
    }

    @Test
    void anErrorTimestampStaysConfirmedNoiseHoweverManyOrdinaryPairsComeBetween() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        for (int i = 0; i < 40; i++)
            errorPair(results, i);
        for (int i = 0; i < 200; i++)
            ordinaryPair(results, i);

        for (int i = 0; i < 10; i++)
            results.recordComparison("items", DIFFER.diff(error(3 * i), error(3 * i + 1)));
        RouteShadowSummary items = results.snapshot("items").orElseThrow();

        PathStat timestamp = items.path("$.timestamp").orElseThrow();
        assertThat(timestamp.noise()).isEqualTo(NoiseClass.NOISE_CONFIRMED);
        assertThat(timestamp.noiseEvidence()).isEqualTo(new NoiseEvidence(40, 40, true));
        assertThat(items.matches()).isEqualTo(10);
    }

    @Test
    void aConfirmedPathDoesNotFlipBackOnAFewPairsInWhichItWasEqual() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        for (int i = 0; i < 40; i++)
            errorPair(results, i);
        for (int i = 0; i < 10; i++)
            results.recordMonolithPair("items", DIFFER.diffRecordingPresence(error(7), error(7)));

        NoiseEvidence evidence = results.noiseFilter("items").evidence("$.timestamp").orElseThrow();
        assertThat(evidence).isEqualTo(new NoiseEvidence(50, 40, true));
        assertThat(evidence.share()).isEqualTo(0.8);
    }

    @Test
    void aConfirmedPathIsRealAgainOnlyOnceItsShareFallsBelowTheReleaseShare() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        for (int i = 0; i < 40; i++)
            errorPair(results, i);
        // 40 of 160 is exactly the release share (0.25): still confirmed
        for (int i = 0; i < 120; i++)
            results.recordMonolithPair("items", DIFFER.diffRecordingPresence(error(7), error(7)));
        assertThat(results.noiseFilter("items").evidence("$.timestamp").orElseThrow().confirmed()).isTrue();

        results.recordMonolithPair("items", DIFFER.diffRecordingPresence(error(7), error(7)));

        assertThat(results.noiseFilter("items").evidence("$.timestamp").orElseThrow())
                .isEqualTo(new NoiseEvidence(161, 40, false));
    }

    @Test
    void aPathThatDiffersInLessThanTheConfirmShareOfThePairsWhereItExistsIsNotConfirmed() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        // differs in the last 2 of 5 pairs: below the confirm share (0.5) at every step
        for (int i = 0; i < 5; i++)
            results.recordMonolithPair("items", DIFFER.diffRecordingPresence(error(1), error(i >= 3 ? 2 : 1)));

        assertThat(results.noiseFilter("items").evidence("$.timestamp").orElseThrow())
                .isEqualTo(new NoiseEvidence(5, 2, false));
    }

    @Test
    void comparisonsRecordedBeforeTheNoiseWasConfirmedCountAsMatchesOnceItIs() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        for (int i = 0; i < 10; i++)
            results.recordComparison("items", DIFFER.diff(error(3 * i), error(3 * i + 1)));
        results.recordComparison("items", DIFFER.diff(ordinary(1), ordinary(2)));
        assertThat(results.snapshot("items").orElseThrow().matches()).isZero();

        for (int i = 0; i < ShadowOptions.DEFAULT_NOISE_CONFIRM_MIN_PAIRS; i++)
            errorPair(results, i);
        RouteShadowSummary items = results.snapshot("items").orElseThrow();

        assertThat(items.matches()).isEqualTo(10);
        assertThat(items.mismatches()).isEqualTo(1);
        assertThat(items.path("$.id").orElseThrow().noiseEvidence()).isEqualTo(NoiseEvidence.NONE);
    }

    @Test
    void aSampleKeptBeforeTheNoiseWasConfirmedReadsAsTheMatchItNowCountsAs() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        results.recordComparison("items", DIFFER.diff(error(1), error(2)),
                SamplePair.capture(Redactor.of(), "GET", "/items/9", error(1), error(2)));
        assertThat(results.snapshot("items").orElseThrow().samples()).extracting(Sample::matched).containsExactly(false);

        for (int i = 0; i < ShadowOptions.DEFAULT_NOISE_CONFIRM_MIN_PAIRS; i++)
            errorPair(results, i);

        assertThat(results.snapshot("items").orElseThrow().samples()).extracting(Sample::matched).containsExactly(true);
    }

    @Test
    void pathsTheMonolithPairsHadAreCountedEvenWhenTheyAreEqual() {
        var result = DIFFER.diffRecordingPresence(
                json(200, "{\"items\":[{\"id\":1,\"at\":\"a\"},{\"id\":2,\"at\":\"b\"}],\"o\":{\"a.b\":1}}"),
                json(200, "{\"items\":[{\"id\":1,\"at\":\"c\"}],\"o\":{\"a.b\":1},\"only\":2}"));

        assertThat(result.presentPaths()).contains("status", "header:Content-Type", "$", "$.items", "$.items[*]",
                "$.items[*].id", "$.items[*].at", "$.o", "$.o['a.b']").doesNotContain("$.only");
    }
}
