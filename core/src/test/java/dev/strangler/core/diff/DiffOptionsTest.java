package dev.strangler.core.diff;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DiffOptionsTest {

    @Test
    void defaultsCompareOnlyTheContentTypeAndCapAtAHundredDifferences() {
        DiffOptions defaults = DiffOptions.DEFAULTS;

        assertThat(defaults.comparedHeaders()).containsExactly("Content-Type");
        assertThat(defaults.ignorePaths()).isEmpty();
        assertThat(defaults.unorderedArrays()).isFalse();
        assertThat(defaults.maxDifferences()).isEqualTo(100);
        assertThat(defaults.maxBodyBytes()).isEqualTo(DiffOptions.DEFAULT_MAX_BODY_BYTES);
    }

    @Test
    void withMethodsReturnAChangedCopyAndLeaveTheOriginalAlone() {
        DiffOptions changed = DiffOptions.DEFAULTS.withIgnorePaths("$..id").withAbsoluteTolerance(0.5).withMaxDifferences(7);

        assertThat(changed.ignorePaths()).containsExactly("$..id");
        assertThat(changed.absoluteTolerance()).isEqualTo(0.5);
        assertThat(changed.maxDifferences()).isEqualTo(7);
        assertThat(DiffOptions.DEFAULTS.ignorePaths()).isEmpty();
    }

    @Test
    void everyInvalidValueIsReportedAtOnceWithWhatWasExpected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new DiffOptions(java.util.List.of(" "), java.util.List.of("items", "$.a[", "$..", "$.a[x]"),
                        -1, Double.NaN, false, java.util.List.of("$.b['c"), -1, 0, 0))
                .withMessageContaining("comparedHeaders[0]: blank")
                .withMessageContaining("ignorePaths[0]: 'items' (expected: a path starting with '$'")
                .withMessageContaining("ignorePaths[1]: '$.a[' at 4: unclosed '['")
                .withMessageContaining("ignorePaths[2]: '$..' at 3")
                .withMessageContaining("ignorePaths[3]: '$.a[x]' at 4: expected an index")
                .withMessageContaining("unorderedArrayPaths[0]: '$.b['c' at 6: unclosed quote")
                .withMessageContaining("absoluteTolerance: -1.0 (expected: a finite number >= 0)")
                .withMessageContaining("relativeTolerance: NaN")
                .withMessageContaining("maxBodyBytes: -1 (expected: >= 0)")
                .withMessageContaining("maxDifferences: 0 (expected: > 0)")
                .withMessageContaining("maxValueLength: 0 (expected: > 0)");
    }
}
