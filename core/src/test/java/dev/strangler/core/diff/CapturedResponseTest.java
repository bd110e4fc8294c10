package dev.strangler.core.diff;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapturedResponseTest {
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.US_ASCII);

    @Test
    void headerLinesGiveTheSameResponseAsTheMapOfThem() {
        List<Map.Entry<String, String>> lines = List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("Set-Cookie", "a=1"), Map.entry("set-cookie", "b=2"), Map.entry("X-Id", "7"));

        CapturedResponse fromLines = CapturedResponse.ofHeaderLines(200, lines, BODY);
        CapturedResponse fromMap = new CapturedResponse(200, Map.of("Content-Type", List.of("application/json"),
                "Set-Cookie", List.of("a=1", "b=2"), "X-Id", List.of("7")), BODY);

        assertThat(fromLines).isEqualTo(fromMap);
        assertThat(fromLines.headerValues("SET-COOKIE")).containsExactly("a=1", "b=2");
        assertThat(fromLines.contentType()).hasValue("application/json");
    }

    @Test
    void theHeadersOfHeaderLinesCannotBeChanged() {
        CapturedResponse r = CapturedResponse.ofHeaderLines(200, List.of(Map.entry("X-Id", "7")), BODY);

        assertThatThrownBy(() -> r.headers().put("X-Other", List.of("1"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.headerValues("X-Id").add("8")).isInstanceOf(UnsupportedOperationException.class);
        // a response built from another's headers is built as any map is
        assertThat(new CapturedResponse(200, r.headers(), BODY).headerValues("x-id")).containsExactly("7");
    }
}
