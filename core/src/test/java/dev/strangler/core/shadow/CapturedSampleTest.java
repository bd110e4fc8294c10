package dev.strangler.core.shadow;

import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CapturedSampleTest {
    private static final Redactor REDACTOR = Redactor.of("password");

    private static CapturedResponse json(String body) {
        return new CapturedResponse(200, Map.of("Content-Type", List.of("application/json"), "Set-Cookie", List.of("s=1")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSmallCaptureIsRedactedWhenFirstReadAndThenReadTheSameWay() {
        CapturedSample sample = CapturedSample.of(REDACTOR, "GET", "/u?password=x", json("{\"password\":\"a\",\"id\":1}"),
                json("{\"password\":\"b\",\"id\":1}"));

        assertThat(sample.isRedacted()).isFalse();
        SamplePair pair = sample.pair();
        assertThat(sample.isRedacted()).isTrue();
        assertThat(pair).isEqualTo(SamplePair.capture(REDACTOR, "GET", "/u?password=x", json("{\"password\":\"a\",\"id\":1}"),
                json("{\"password\":\"b\",\"id\":1}")));
        assertThat(pair.target()).doesNotContain("x").contains(Redactor.REDACTED);
        assertThat(pair.monolith().body()).doesNotContain("\"a\"").contains(Redactor.REDACTED);
        assertThat(pair.service().headers().get("Set-Cookie")).containsExactly(Redactor.REDACTED);
        assertThat(sample.pair()).isSameAs(pair);
    }

    @Test
    void aCaptureWithLargeBodiesIsRedactedAtOnceSoNoRouteHoldsMuchUnredacted() {
        String big = "{\"password\":\"a\",\"text\":\"" + "x".repeat(CapturedSample.EAGER_REDACTION_BYTES) + "\"}";

        CapturedSample sample = CapturedSample.of(REDACTOR, "GET", "/u", json(big), json("{}"));

        assertThat(sample.isRedacted()).isTrue();
        assertThat(sample.pair().monolith().body()).doesNotContain("\"a\"");
    }

    @Test
    void recordingAComparisonDoesNotRedactItsSampleAndTheSummaryShowsItRedacted() {
        ShadowResults results = new ShadowResults(ShadowOptions.DEFAULTS, REDACTOR);
        CapturedSample sample = CapturedSample.of(REDACTOR, "GET", "/u", json("{\"password\":\"a\"}"), json("{\"password\":\"a\"}"));

        results.recordComparison(ShadowKey.ofRoute("users"), new DiffResult(List.of(), false), sample);

        assertThat(sample.isRedacted()).isFalse();
        List<Sample> shown = results.snapshot("users").orElseThrow().samples();
        assertThat(shown).hasSize(1);
        assertThat(shown.getFirst().pair().monolith().body()).doesNotContain("\"a\"").contains(Redactor.REDACTED);
        assertThat(sample.isRedacted()).isTrue();
    }
}
