package dev.strangler.core.shadow;

import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.Difference;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedactorTest {
    private static final Redactor REDACTOR = Redactor.of("password", "token", "$.user.ssn");

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void credentialHeadersAreRedactedWhateverTheirCase() {
        Map<String, List<String>> headers = REDACTOR.redactHeaders(Map.of(
                "authorization", List.of("Bearer abc"),
                "Cookie", List.of("session=1"),
                "SET-COOKIE", List.of("a=1", "b=2"),
                "Proxy-Authorization", List.of("Basic xyz"),
                "Content-Type", List.of("application/json")));

        assertThat(headers).containsEntry("authorization", List.of("<redacted>"))
                .containsEntry("Cookie", List.of("<redacted>"))
                .containsEntry("SET-COOKIE", List.of("<redacted>", "<redacted>"))
                .containsEntry("Proxy-Authorization", List.of("<redacted>"))
                .containsEntry("Content-Type", List.of("application/json"));
    }

    @Test
    void aConfiguredNameAlsoRedactsAHeaderOfThatName() {
        assertThat(REDACTOR.redactHeaders(Map.of("Token", List.of("t1"), "X-Other", List.of("v"))))
                .containsEntry("Token", List.of("<redacted>"))
                .containsEntry("X-Other", List.of("v"));
    }

    @Test
    void configuredQueryParametersAreRedactedAndOthersKept() {
        assertThat(REDACTOR.redactTarget("/api/login?user=ann&password=hunter2&TOKEN=abc&flag"))
                .isEqualTo("/api/login?user=ann&password=<redacted>&TOKEN=<redacted>&flag");
        assertThat(REDACTOR.redactTarget("/api/posts/1")).isEqualTo("/api/posts/1");
    }

    @Test
    void anEncodedParameterNameIsStillRecognised() {
        assertThat(REDACTOR.redactTarget("/x?pass%77ord=secret")).isEqualTo("/x?pass%77ord=<redacted>");
    }

    @Test
    void jsonFieldsAreRedactedByNameAtAnyDepthAndByPath() {
        String body = "{\"user\":{\"name\":\"ann\",\"ssn\":\"123-45-6789\",\"password\":\"p\"},"
                + "\"items\":[{\"token\":\"t\",\"ssn\":\"kept: not under $.user\"}]}";

        String redacted = REDACTOR.redactBody(utf8(body), Optional.of("application/json; charset=utf-8"));

        assertThat(redacted).isEqualTo("{\"user\":{\"name\":\"ann\",\"ssn\":\"<redacted>\",\"password\":\"<redacted>\"},"
                + "\"items\":[{\"token\":\"<redacted>\",\"ssn\":\"kept: not under $.user\"}]}");
    }

    @Test
    void aPathThroughAnArrayRedactsThatFieldInEveryElement() {
        Redactor redactor = Redactor.of("$.cards[0].number");

        assertThat(redactor.redactBody(utf8("{\"cards\":[{\"number\":\"4111\"},{\"number\":\"5500\",\"exp\":\"12/30\"}]}"),
                Optional.of("application/json")))
                .isEqualTo("{\"cards\":[{\"number\":\"<redacted>\"},{\"number\":\"<redacted>\",\"exp\":\"12/30\"}]}");
    }

    @Test
    void anUndeclaredBodyThatParsesAsJsonIsRedactedAsJson() {
        assertThat(REDACTOR.redactBody(utf8("{\"token\":42}"), Optional.empty())).isEqualTo("{\"token\":\"<redacted>\"}");
    }

    @Test
    void malformedJsonIsRedactedByPatternRatherThanShownAsIs() {
        String redacted = REDACTOR.redactBody(utf8("{\"password\": \"hunter2\", \"ssn\":\"1\", \"x\": 1,"),
                Optional.of("application/json"));

        assertThat(redacted).doesNotContain("hunter2").doesNotContain("\"1\"")
                .contains("\"password\": \"<redacted>\"").contains("\"x\": 1");
    }

    @Test
    void formAndTextBodiesHaveConfiguredValuesRedacted() {
        assertThat(REDACTOR.redactBody(utf8("user=ann&password=hunter2"), Optional.of("application/x-www-form-urlencoded")))
                .isEqualTo("user=ann&password=<redacted>");
        assertThat(REDACTOR.redactBody(utf8("error: token=abc123 rejected"), Optional.of("text/plain")))
                .isEqualTo("error: token=<redacted> rejected");
    }

    @Test
    void bodiesAreCutToTheConfiguredLengthWithAnEllipsis() {
        Redactor redactor = new Redactor(List.of(), 10);

        assertThat(redactor.redactBody(utf8("abcdefghijklmnopqrstuvwxyz"), Optional.of("text/plain"))).isEqualTo("abcdefghij…");
        assertThat(redactor.redactBody(utf8("short"), Optional.of("text/plain"))).isEqualTo("short");
        assertThat(redactor.redactBody(utf8("{\"a\":\"0123456789\"}"), Optional.of("application/json"))).isEqualTo("{\"a\":\"0123…");
    }

    @Test
    void aLongTextBodyIsCutEvenWhenOnlyItsBeginningIsDecoded() {
        Redactor redactor = new Redactor(List.of("token"), 8);

        String excerpt = redactor.redactBody(utf8("token=secret" + "x".repeat(10_000)), Optional.of("text/plain"));

        assertThat(excerpt).isEqualTo("token=<r…");
    }

    @Test
    void binaryBodiesAreShownAsTheirSizeOnly() {
        assertThat(REDACTOR.redactBody(new byte[] {1, 2, 3}, Optional.of("image/png"))).isEqualTo("<3 bytes of image/png>");
    }

    @Test
    void anUndeclaredBodyWithNulBytesIsTakenForBinary() {
        assertThat(REDACTOR.redactBody(new byte[] {'a', 0, 'b'}, Optional.empty())).isEqualTo("<3 bytes of undeclared type>");
    }

    @Test
    void differenceValuesAreRedactedAtASecretPathAndInsideReportedSubtrees() {
        Difference atPath = new Difference("$.user.ssn", DiffKind.VALUE, Optional.of("\"1\""), Optional.of("\"2\""));
        Difference subtree = new Difference("$.user", DiffKind.MISSING, Optional.of("{\"ssn\":\"1\",\"name\":\"ann\"}"), Optional.empty());
        Difference header = new Difference("header:Set-Cookie", DiffKind.HEADER, Optional.of("a=1"), Optional.of("a=2"));
        Difference plain = new Difference("$.items[2].token", DiffKind.VALUE, Optional.of("\"x\""), Optional.of("\"y\""));
        Difference harmless = new Difference("$.price", DiffKind.VALUE, Optional.of("10"), Optional.of("12"));

        assertThat(REDACTOR.redact(atPath).monolithValue()).contains("<redacted>");
        assertThat(REDACTOR.redact(subtree).monolithValue()).contains("{\"ssn\":\"<redacted>\",\"name\":\"ann\"}");
        assertThat(REDACTOR.redact(header).serviceValue()).contains("<redacted>");
        assertThat(REDACTOR.redact(plain).serviceValue()).contains("<redacted>");
        assertThat(REDACTOR.redact(harmless)).isSameAs(harmless);
    }

    @Test
    void aSamplePairIsCapturedRedacted() {
        CapturedResponse monolith = CapturedResponse.of(200, Map.of("Content-Type", List.of("application/json"),
                "Set-Cookie", List.of("sid=1")), utf8("{\"token\":\"abc\",\"id\":1}"));
        CapturedResponse service = CapturedResponse.of(500, "text/plain", utf8("boom"));

        SamplePair pair = SamplePair.capture(REDACTOR, "POST", "/login?password=x", monolith, service);

        assertThat(pair.method()).isEqualTo("POST");
        assertThat(pair.target()).isEqualTo("/login?password=<redacted>");
        assertThat(pair.monolith().headers()).containsEntry("Set-Cookie", List.of("<redacted>"));
        assertThat(pair.monolith().body()).isEqualTo("{\"token\":\"<redacted>\",\"id\":1}");
        assertThat(pair.monolith().bodyBytes()).isEqualTo(monolith.body().length);
        assertThat(pair.service().status()).isEqualTo(500);
        assertThat(pair.service().body()).isEqualTo("boom");
    }

    @Test
    void aMalformedPathOrBadLengthFailsFastNamingIt() {
        assertThatThrownBy(() -> new Redactor(List.of("$.a..", " "), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBodyChars: 0 (expected: > 0)")
                .hasMessageContaining("'$.a..'")
                .hasMessageContaining("' '");
    }
}
