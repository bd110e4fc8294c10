package dev.strangler.core.shadow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ValueShapeTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"",
            "\"9f86d081884c7d659a2feaa0c55ad015\"",
            "\"eyJhbGciOiJIUzI1NiJ9abc123XYZ\"",
            "\"2026-11-25T13:14:06.123Z\"",
            "\"2026-11-25T13:14:06+01:00\"",
            "Wed, 25 Nov 2026 13:14:06 GMT",
            "1764076446",
            "1764076446123"})
    void idsTokensAndTimestampsLookGenerated(String value) {
        assertThat(ValueShape.looksGenerated(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"12", "\"Lamp\"", "\"a sentence with spaces in it\"", "true", "{\"a\":1}",
            "\"abcdefghijklmnopqrstuvwxyz\"", "\"short\""})
    void ordinaryValuesDoNotLookGenerated(String value) {
        assertThat(ValueShape.looksGenerated(value)).isFalse();
    }

    @Test
    void numbersAreRecognisedQuotedOrNot() {
        assertThat(ValueShape.isNumber("42")).isTrue();
        assertThat(ValueShape.isNumber("-4.5e3")).isTrue();
        assertThat(ValueShape.isNumber("\"17\"")).isTrue();
        assertThat(ValueShape.isNumber("\"x17\"")).isFalse();
    }
}
