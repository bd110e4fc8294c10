package dev.strangler.core.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Http1SyntaxTest {
    @Test
    void aRequestLineIsMethodTargetAndVersionSeparatedBySingleSpaces() throws Exception {
        assertThat(Http1Syntax.requestLine("GET /a?b HTTP/1.1")).isEqualTo(new Http1Syntax.RequestLine("GET", "/a?b", Protocol.HTTP_1_1));
        assertThat(Http1Syntax.requestLine("POST http://h/x HTTP/1.0").protocol()).isEqualTo(Protocol.HTTP_1_0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /a", "GET  /a HTTP/1.1", "GET /a HTTP/1.1 ", "G(T /a HTTP/1.1", "GET /a\u0001 HTTP/1.1", "GET /a http/1.1", "GET /a HTTP/11"})
    void anythingElseIsABadRequestLine(String line) {
        assertThatThrownBy(() -> Http1Syntax.requestLine(line)).isInstanceOfSatisfying(SyntaxViolation.class,
                v -> assertThat(v.rejection().status()).isEqualTo(400));
    }

    @Test
    void anotherHttpVersionIs505() {
        assertThatThrownBy(() -> Http1Syntax.requestLine("GET / HTTP/1.2")).isInstanceOfSatisfying(SyntaxViolation.class,
                v -> assertThat(v.rejection().status()).isEqualTo(505));
    }

    @Test
    void aFieldLineIsATokenAColonAndAValueWithoutControlBytes() throws Exception {
        assertThat(Http1Syntax.fieldLine("X-A:  v w \t")).isEqualTo(new HeaderField("X-A", "v w"));
        for (String bad : new String[] {" folded", "\tfolded", ": v", "X-A : v", "no colon", "X-A: v\u0000", "X\u00e9: v"})
            assertThatThrownBy(() -> Http1Syntax.fieldLine(bad)).as(bad).isInstanceOf(SyntaxViolation.class);
    }

    @Test
    void aFieldLineCheckedInPlaceNamesItsColonAndComparesItsNameWithoutCopies() throws Exception {
        String line = "Content-Length: \t 12 ";
        int colon = Http1Syntax.checkFieldLine(line);
        assertThat(colon).isEqualTo(14);
        assertThat(Http1Syntax.hasName(line, colon, "content-length")).isTrue();
        assertThat(Http1Syntax.hasName(line, colon, "content-lengt")).isFalse();
        assertThat(Http1Syntax.hasName(line, colon, "content-lengthx")).isFalse();
        assertThat(Http1Syntax.fieldValue(line, colon)).isEqualTo("12");
        // Whitespace around the value is not part of it (as String.strip), a control byte inside it is refused.
        assertThat(Http1Syntax.fieldLine("X: \u001fv\u000b")).isEqualTo(new HeaderField("X", "v"));
        assertThatThrownBy(() -> Http1Syntax.checkFieldLine("X: a\u0001b")).isInstanceOf(SyntaxViolation.class);
        assertThatThrownBy(() -> Http1Syntax.checkFieldLine("X: a\u007fb")).isInstanceOf(SyntaxViolation.class);
    }

    @Test
    void aChunkSizeIsHexDigitsWithAnOptionalExtension() throws Exception {
        assertThat(Http1Syntax.chunkSize("1aF")).isEqualTo(0x1af);
        assertThat(Http1Syntax.chunkSize("5 ;name=value")).isEqualTo(5);
        assertThat(Http1Syntax.chunkSize("00000000000000000005")).isEqualTo(5);
        for (String bad : new String[] {" 5", "+5", "5g", "0x5", "", "-1", "1000000000000000", "5;\u0000"})
            assertThatThrownBy(() -> Http1Syntax.chunkSize(bad)).as("[%s]", bad).isInstanceOf(SyntaxViolation.class);
    }
}
