package dev.strangler.core.shadow;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonPathsTest {
    @Test
    void pathsAreNormalizedWithIndexesCollapsedAndBodyOffsetsDropped() {
        assertThat(JsonPaths.normalize("$.items[3].tags[10]")).isEqualTo("$.items[*].tags[*]");
        assertThat(JsonPaths.normalize("$['a[1]'][2]")).isEqualTo("$['a[1]'][*]");
        assertThat(JsonPaths.normalize("$['it\\'s[0]'].x")).isEqualTo("$['it\\'s[0]'].x");
        assertThat(JsonPaths.normalize("body@1234")).isEqualTo("body");
        assertThat(JsonPaths.normalize("header:Date")).isEqualTo("header:Date");
        assertThat(JsonPaths.normalize("status")).isEqualTo("status");
    }
}
