package dev.strangler.core.shadow;

import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.DiffOptions;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.Difference;
import dev.strangler.core.diff.ResponseDiffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A simulated monolith that stamps every answer with the time, a fresh random id and a random six-digit
 * nonce, compared with a service that does the same and, in some tests, gets the price wrong.
 */
class ShadowNoiseTest {
    private static final ResponseDiffer DIFFER = new ResponseDiffer(DiffOptions.DEFAULTS);

    /** A backend answering {@code GET /api/products/1}; time and randomness are injected, never real. */
    private static final class Backend {
        private final Random random;
        private final int price;
        private Instant now;

        Backend(long seed, int price) {
            this.random = new Random(seed);
            this.price = price;
            this.now = Instant.parse("2026-11-25T13:00:00.000Z");
        }

        CapturedResponse answer() {
            now = now.plus(Duration.ofMillis(1 + random.nextInt(5_000)));
            String body = "{\"requestId\":\"" + new UUID(random.nextLong(), random.nextLong()) + "\","
                    + "\"generatedAt\":\"" + now + "\","
                    + "\"nonce\":" + random.nextInt(1_000_000) + ","
                    + "\"name\":\"Lamp\",\"price\":" + price + "}";
            return CapturedResponse.of(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void shadow(ShadowResults results, Backend monolith, Backend service, int comparisons, boolean withMonolithPairs) {
        for (int i = 0; i < comparisons; i++) {
            CapturedResponse fromMonolith = monolith.answer();
            if (withMonolithPairs)
                results.recordMonolithPair("products", DIFFER.diff(fromMonolith, monolith.answer()));
            results.recordComparison("products", DIFFER.diff(fromMonolith, service.answer()));
        }
    }

    private static NoiseClass noiseOf(RouteShadowSummary summary, String path) {
        return summary.path(path).orElseThrow(() -> new AssertionError(path + " did not differ")).noise();
    }

    @Test
    void fieldsTheMonolithChangesOnItsOwnAreConfirmedNoiseWhileAWrongPriceStaysReal() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());

        shadow(results, new Backend(1, 10), new Backend(2, 12), 30, true);
        RouteShadowSummary products = results.snapshot("products").orElseThrow();

        assertThat(noiseOf(products, "$.requestId")).isEqualTo(NoiseClass.NOISE_CONFIRMED);
        assertThat(noiseOf(products, "$.generatedAt")).isEqualTo(NoiseClass.NOISE_CONFIRMED);
        assertThat(noiseOf(products, "$.nonce")).isEqualTo(NoiseClass.NOISE_CONFIRMED);
        PathStat price = products.path("$.price").orElseThrow();
        assertThat(price.noise()).isEqualTo(NoiseClass.REAL);
        assertThat(price.exampleMonolithValue()).contains("10");
        assertThat(price.exampleServiceValue()).contains("12");
        assertThat(products.mismatches()).isEqualTo(30);
        assertThat(products.matchRate()).isZero();
    }

    @Test
    void aComparisonWhoseOnlyDifferencesAreConfirmedNoiseCountsAsAMatch() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        Backend monolith = new Backend(1, 10);
        for (int i = 0; i < ShadowOptions.DEFAULT_NOISE_CONFIRM_MIN_PAIRS; i++)
            results.recordMonolithPair("products", DIFFER.diff(monolith.answer(), monolith.answer()));

        shadow(results, monolith, new Backend(2, 10), 25, true);
        RouteShadowSummary products = results.snapshot("products").orElseThrow();

        assertThat(products.comparisons()).isEqualTo(25);
        assertThat(products.matches()).isEqualTo(25);
        assertThat(products.matchRate()).isEqualTo(1.0);
        assertThat(products.path("$.price")).isEmpty();
        assertThat(products.path("$.requestId").orElseThrow().mismatches()).isEqualTo(25);
    }

    @Test
    void withoutMonolithPairsRandomLookingFieldsAreProbableNoiseButStillCounted() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());

        shadow(results, new Backend(1, 10), new Backend(2, 10), 30, false);
        RouteShadowSummary products = results.snapshot("products").orElseThrow();

        assertThat(noiseOf(products, "$.requestId")).isEqualTo(NoiseClass.PROBABLE_NOISE);
        assertThat(noiseOf(products, "$.generatedAt")).isEqualTo(NoiseClass.PROBABLE_NOISE);
        assertThat(noiseOf(products, "$.nonce")).isEqualTo(NoiseClass.PROBABLE_NOISE);
        assertThat(products.mismatches()).isEqualTo(30);
        assertThat(products.matches()).isZero();
    }

    @Test
    void withoutMonolithPairsAConstantlyWrongPriceStaysReal() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());

        shadow(results, new Backend(1, 10), new Backend(2, 12), 30, false);
        RouteShadowSummary products = results.snapshot("products").orElseThrow();

        assertThat(noiseOf(products, "$.price")).isEqualTo(NoiseClass.REAL);
        assertThat(noiseOf(products, "$.requestId")).isEqualTo(NoiseClass.PROBABLE_NOISE);
        assertThat(products.mismatches()).isEqualTo(30);
    }

    @Test
    void tooFewComparisonsAreNotEnoughToCallAnythingProbableNoise() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());

        shadow(results, new Backend(1, 10), new Backend(2, 10), ShadowOptions.DEFAULT_PROBABLE_NOISE_MIN_COMPARISONS - 1, false);
        RouteShadowSummary products = results.snapshot("products").orElseThrow();

        assertThat(products.paths()).extracting(PathStat::noise).containsOnly(NoiseClass.REAL);
    }

    @Test
    void aFieldMissingFromTheServiceIsNeverNoiseThoughItsValueLooksRandom() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of());
        for (int i = 0; i < 30; i++) {
            String id = "\"" + new UUID(i, 31L * i + 7) + "\"";
            results.recordComparison("products", new DiffResult(java.util.List.of(
                    new Difference("$.traceId", DiffKind.MISSING, Optional.of(id), Optional.empty())), false));
        }

        assertThat(noiseOf(results.snapshot("products").orElseThrow(), "$.traceId")).isEqualTo(NoiseClass.REAL);
    }

    @Test
    void aPathTheMonolithRarelyChangesIsNotConfirmedNoise() {
        NoiseFilter filter = new NoiseFilter(ShadowOptions.DEFAULTS);
        Difference stock = new Difference("$.stock", DiffKind.VALUE, Optional.of("3"), Optional.of("2"));
        for (int i = 0; i < 10; i++)
            filter.recordMonolithPair(i == 0 ? new DiffResult(java.util.List.of(stock), false) : DiffResult.MATCH);

        assertThat(filter.monolithPairs()).isEqualTo(10);
        assertThat(filter.classify(stock)).isEqualTo(NoiseClass.REAL);
    }

    @Test
    void noiseIsConfirmedForEveryElementOfAnArrayOnceSeenAtAnyIndex() {
        NoiseFilter filter = new NoiseFilter(ShadowOptions.DEFAULTS);
        for (int i = 0; i < 4; i++)
            filter.recordMonolithPair(new DiffResult(java.util.List.of(
                    new Difference("$.items[" + i + "].etag", DiffKind.VALUE, Optional.of("\"a\""), Optional.of("\"b\""))), false));

        assertThat(filter.classify(new Difference("$.items[42].etag", DiffKind.VALUE, Optional.of("1"), Optional.of("2"))))
                .isEqualTo(NoiseClass.NOISE_CONFIRMED);
        assertThat(filter.classify(new Difference("$.items[42].price", DiffKind.VALUE, Optional.of("1"), Optional.of("2"))))
                .isEqualTo(NoiseClass.REAL);
    }
}
