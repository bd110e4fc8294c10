package dev.strangler.core.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One view moved over the lines of a head reads each line as a fixed {@link ByteText} of it does. */
class MovableByteTextTest {
    private static final byte[] HEAD = "GET /a HTTP/1.1\r\nHost: h\u00e9\r\nX:  1 \r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void aViewMovedFromLineToLineReadsEachLineAsAFixedViewOfItDoes() throws SyntaxViolation {
        MovableByteText line = new MovableByteText();
        int[][] lines = {{0, 15}, {17, 25}, {27, 33}};
        for (int[] l : lines) {
            ByteText fixed = new ByteText(HEAD, l[0], l[1]);
            assertThat(line.moveTo(HEAD, l[0], l[1])).hasToString(fixed.toString()).hasSize(fixed.length());
            for (int i = 0; i < fixed.length(); i++) assertThat(line.charAt(i)).isEqualTo(fixed.charAt(i));
        }
        assertThat(Http1Syntax.requestLine(line.moveTo(HEAD, 0, 15))).isEqualTo(new Http1Syntax.RequestLine("GET", "/a", Protocol.HTTP_1_1));
        assertThat(Http1Syntax.fieldLine(line.moveTo(HEAD, 17, 25))).isEqualTo(new HeaderField("Host", "h\u00e9"));
    }

    @Test
    void whatIsCutOutOfAViewStaysWhenTheViewMovesOn() {
        MovableByteText line = new MovableByteText().moveTo(HEAD, 27, 33);
        CharSequence value = line.subSequence(2, 6);

        line.moveTo(HEAD, 0, 15);
        line.forget();

        assertThat(value).hasToString("  1 ");
        assertThat(line).isEmpty();
        assertThatThrownBy(() -> line.charAt(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> line.moveTo(HEAD, 5, HEAD.length + 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
