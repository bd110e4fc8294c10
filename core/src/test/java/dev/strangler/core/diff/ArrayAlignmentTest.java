package dev.strangler.core.diff;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.strangler.core.diff.DiffKind.EXTRA;
import static dev.strangler.core.diff.DiffKind.MISSING;
import static dev.strangler.core.diff.DiffKind.VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ArrayAlignmentTest {
    private static final ResponseDiffer ORDERED = new ResponseDiffer(DiffOptions.DEFAULTS);
    private static final ResponseDiffer KEYED = new ResponseDiffer(DiffOptions.DEFAULTS.withArrayKey("id"));

    private static CapturedResponse json(String body) {
        return CapturedResponse.of(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static String items(int... ids) {
        return "{\"items\":[" + IntStream.of(ids).mapToObj(id -> "{\"id\":" + id + ",\"name\":\"item " + id + "\"}")
                .collect(Collectors.joining(",")) + "]}";
    }

    @Test
    void aSortedListThatGainsAnElementAtTheFrontIsOneExtraThatNamesThatElement() {
        DiffResult result = ORDERED.diff(json(items(2, 3, 4, 5, 6)), json(items(1, 2, 3, 4, 5, 6)));

        assertThat(result.differences()).containsExactly(
                new Difference("$.items[0]", EXTRA, Optional.empty(), Optional.of("{\"id\":1,\"name\":\"item 1\"}")));
    }

    @Test
    void anElementRemovedFromTheMiddleIsOneMissingAtItsMonolithIndex() {
        DiffResult result = ORDERED.diff(json(items(1, 2, 3, 4, 5)), json(items(1, 2, 4, 5)));

        assertThat(result.differences()).extracting(Difference::path, Difference::kind).containsExactly(tuple("$.items[2]", MISSING));
        assertThat(result.differences().getFirst().monolithValue()).contains("{\"id\":3,\"name\":\"item 3\"}");
    }

    @Test
    void aChangedElementIsAValueDifferenceInsideItNotAMissingAndAnExtra() {
        DiffResult result = ORDERED.diff(json("[1,2,{\"price\":3},4]"), json("[0,1,2,{\"price\":5},4]"));

        assertThat(result.differences()).extracting(Difference::path, Difference::kind)
                .containsExactly(tuple("$[0]", EXTRA), tuple("$[2].price", VALUE));
    }

    @Test
    void anInsertionAndAChangeFarApartAreReportedApart() {
        DiffResult result = ORDERED.diff(json("[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]"), json("[\"a\",\"x\",\"b\",\"c\",\"d\",\"e\",\"g\"]"));

        assertThat(result.differences()).extracting(Difference::path, Difference::kind)
                .containsExactly(tuple("$[1]", EXTRA), tuple("$[5]", VALUE));
    }

    @Test
    void anOrderedArrayThatIsOnlyReorderedStillDiffers() {
        assertThat(ORDERED.diff(json(items(1, 2, 3)), json(items(3, 1, 2))).differences())
                .extracting(Difference::path, Difference::kind).containsExactly(tuple("$.items[0]", EXTRA), tuple("$.items[2]", MISSING));
    }

    @Test
    void pastTheAlignmentBoundTheMiddleIsComparedByPosition() {
        int n = 150; // 150 x 150 > MAX_ALIGNMENT_CELLS
        assertThat(n * n).isGreaterThan(JsonComparison.MAX_ALIGNMENT_CELLS);
        List<Integer> monolith = new ArrayList<>();
        List<Integer> service = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            monolith.add(2 * i);
            service.add(2 * i + 1);
        }
        service.set(n - 1, 2 * (n - 1)); // the suffix still aligns
        DiffResult result = new ResponseDiffer(DiffOptions.DEFAULTS.withMaxDifferences(1000))
                .diff(json(monolith.toString()), json(service.toString()));

        assertThat(result.differences()).hasSize(n - 1).allMatch(d -> d.kind() == VALUE);
        assertThat(result.differences().getFirst().path()).isEqualTo("$[0]");
    }

    @Test
    void withoutAlignmentArraysAreComparedByPosition() {
        DiffResult result = new ResponseDiffer(DiffOptions.DEFAULTS.withArrayAlignment(false)).diff(json("[2,3]"), json("[1,2,3]"));

        assertThat(result.differences()).extracting(Difference::path, Difference::kind)
                .containsExactly(tuple("$[0]", VALUE), tuple("$[1]", VALUE), tuple("$[2]", EXTRA));
    }

    @Test
    void keyedElementsArePairedByTheirKeyWhateverTheirOrder() {
        DiffResult result = KEYED.diff(json("{\"items\":[{\"id\":1,\"price\":10},{\"id\":2,\"price\":20},{\"id\":3,\"price\":30}]}"),
                json("{\"items\":[{\"id\":4,\"price\":40},{\"id\":3,\"price\":30},{\"id\":1,\"price\":11}]}"));

        assertThat(result.differences()).extracting(Difference::path, Difference::kind, Difference::monolithValue, Difference::serviceValue)
                .containsExactly(
                        tuple("$.items[0].price", VALUE, Optional.of("10"), Optional.of("11")),
                        tuple("$.items[1]", MISSING, Optional.of("{\"id\":2,\"price\":20}"), Optional.empty()),
                        tuple("$.items[0]", EXTRA, Optional.empty(), Optional.of("{\"id\":4,\"price\":40}")));
    }

    @Test
    void arraysWhoseElementsLackAUniqueKeyFallBackToTheOrderedRule() {
        assertThat(KEYED.diff(json("[2,3]"), json("[1,2,3]")).differences())
                .extracting(Difference::path, Difference::kind).containsExactly(tuple("$[0]", EXTRA));
        assertThat(KEYED.diff(json("[{\"id\":1},{\"id\":1}]"), json("[{\"id\":1},{\"id\":1},{\"id\":2}]")).differences())
                .extracting(Difference::path, Difference::kind).containsExactly(tuple("$[2]", EXTRA));
    }

    @Test
    void keyedArraysMatchInsideUnorderedOnesToo() {
        ResponseDiffer differ = new ResponseDiffer(DiffOptions.DEFAULTS.withArrayKey("id").withUnorderedArrays(true));

        assertThat(differ.diff(json("[{\"id\":1,\"tags\":[\"a\",\"b\"]},{\"id\":2}]"),
                json("[{\"id\":2},{\"id\":1,\"tags\":[\"b\",\"a\"]}]")).matches()).isTrue();
    }

    @Test
    void ignorePathsStillApplyToAlignedElements() {
        ResponseDiffer differ = new ResponseDiffer(DiffOptions.DEFAULTS.withIgnorePaths("$[*].at"));

        assertThat(differ.diff(json("[{\"id\":2,\"at\":1},{\"id\":3,\"at\":2}]"),
                json("[{\"id\":1,\"at\":7},{\"id\":2,\"at\":8},{\"id\":3,\"at\":9}]")).differences())
                .extracting(Difference::path, Difference::kind).containsExactly(tuple("$[0]", EXTRA));
    }
}
