package dev.strangler.core.diff;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PathGlobsTest {

    /** Walks a path given as member names (String) and indexes (Integer) and says whether the globs match it. */
    private static boolean matches(List<String> globs, Object... segments) {
        PathGlobs compiled = PathGlobs.compile(globs);
        long[] state = compiled.start();
        for (Object segment : segments)
            state = segment instanceof Integer i ? compiled.stepIndex(state, i) : compiled.stepField(state, (String) segment);
        return compiled.matches(state);
    }

    @Test
    void descendantsMatchAtEveryDepthIncludingTheTop() {
        List<String> glob = List.of("$..updatedAt");

        assertThat(matches(glob, "updatedAt")).isTrue();
        assertThat(matches(glob, "items", 3, "updatedAt")).isTrue();
        assertThat(matches(glob, "a", "b", "c", "updatedAt")).isTrue();
        assertThat(matches(glob, "updatedAt", "x")).isFalse();
        assertThat(matches(glob, "items", 3)).isFalse();
    }

    @Test
    void descendantsCanBeFollowedByAnIndexOrAWildcard() {
        assertThat(matches(List.of("$..[0]"), "a", "b", 0)).isTrue();
        assertThat(matches(List.of("$..[0]"), "a", "b", 1)).isFalse();
        assertThat(matches(List.of("$.a..*"), "a", "b")).isTrue();
        assertThat(matches(List.of("$.a..*"), "a")).isFalse();
    }

    @Test
    void aWildcardMatchesExactlyOneMemberOrElement() {
        assertThat(matches(List.of("$.meta.*"), "meta", "took")).isTrue();
        assertThat(matches(List.of("$.meta.*"), "meta")).isFalse();
        assertThat(matches(List.of("$.meta.*"), "meta", "took", "ms")).isFalse();
        assertThat(matches(List.of("$.items[*].id"), "items", 7, "id")).isTrue();
        assertThat(matches(List.of("$.items[*].id"), "items", 7, "name")).isFalse();
    }

    @Test
    void anIndexMatchesOnlyThatPositionAndNeverAnElementOfAnUnorderedArray() {
        assertThat(matches(List.of("$.items[2]"), "items", 2)).isTrue();
        assertThat(matches(List.of("$.items[2]"), "items", 3)).isFalse();
        assertThat(matches(List.of("$.items[2]"), "items", PathGlobs.ANY_INDEX)).isFalse();
        assertThat(matches(List.of("$.items[*]"), "items", PathGlobs.ANY_INDEX)).isTrue();
    }

    @Test
    void aQuotedNameIsLiteralSoAQuotedStarIsNotAWildcard() {
        assertThat(matches(List.of("$['*']"), "*")).isTrue();
        assertThat(matches(List.of("$['*']"), "other")).isFalse();
        assertThat(matches(List.of("$['a.b']['it\\'s']"), "a.b", "it's")).isTrue();
        assertThat(matches(List.of("$[\"0\"]"), "0")).isTrue();
        assertThat(matches(List.of("$[\"0\"]"), 0)).isFalse();
    }

    @Test
    void anyOfSeveralGlobsMayMatch() {
        List<String> globs = List.of("$.a", "$..b", "$.c[1]");

        assertThat(matches(globs, "a")).isTrue();
        assertThat(matches(globs, "x", "b")).isTrue();
        assertThat(matches(globs, "c", 1)).isTrue();
        assertThat(matches(globs, "c", 0)).isFalse();
    }

    @Test
    void noGlobsMatchNothingAndTheRootGlobMatchesEverything() {
        assertThat(matches(List.of(), "a")).isFalse();
        assertThat(matches(List.of("$"))).isTrue();
    }

    @Test
    void manyGlobsSpanSeveralWordsOfState() {
        List<String> globs = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++)
            globs.add("$.f" + i + ".g");
        globs.add("$..last");

        assertThat(matches(globs, "f39", "g")).isTrue();
        assertThat(matches(globs, "f0", "g")).isTrue();
        assertThat(matches(globs, "f39", "x", "last")).isTrue();
        assertThat(matches(globs, "f39", "h")).isFalse();
    }
}
