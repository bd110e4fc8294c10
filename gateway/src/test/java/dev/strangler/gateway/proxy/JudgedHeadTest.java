package dev.strangler.gateway.proxy;

import dev.strangler.core.http.SyntaxViolation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The line offsets {@link RequestHeadJudge} hands on in a {@link JudgedHead} are where the lines
 * stand in its copy of the head, however the head arrived: read back through them, the head's lines
 * come out as they were sent.
 */
class JudgedHeadTest {

    /** Judges {@code head}, given to the judge in {@code pieces} reads, and returns what it hands on. */
    private static JudgedHead judged(String head, int pieces) throws SyntaxViolation {
        RequestHeadJudge judge = new RequestHeadJudge(true);
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        int step = Math.max(1, bytes.length / pieces);
        boolean done = false;
        for (int from = 0; from < bytes.length && !done; from += step) {
            ByteBuf in = Unpooled.wrappedBuffer(bytes, from, Math.min(step, bytes.length - from));
            done = judge.read(in);
            in.release();
        }
        assertThat(done).as("the head is whole").isTrue();
        judge.judge();
        return judge.judgedHead(judge.takeHead());
    }

    /** The request line, then each field line as {@code name|value-as-sent}, read through the offsets. */
    private static List<String> linesOf(JudgedHead h) {
        String text = new String(h.text(), StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        lines.add(text.substring(h.requestLineStart(), h.requestLineEnd()));
        for (int i = 0; i < h.fieldCount(); i++)
            lines.add(text.substring(h.fieldStart(i), h.colon(i)) + "|" + text.substring(h.colon(i) + 1, h.fieldEnd(i)));
        return lines;
    }

    @Test
    void theOffsetsPointAtEachLineNameAndValueOfTheCopy() throws Exception {
        String head = "GET /a?b=c HTTP/1.1\r\nHost: shop\r\nX-Empty:\r\nX-Spaced:  two words \t\r\nX-Colons: a:b:c\r\n\r\n";
        JudgedHead h = judged(head, 1);
        try {
            assertThat(new String(h.text(), StandardCharsets.ISO_8859_1)).isEqualTo(head);
            assertThat(h.content().toString(StandardCharsets.ISO_8859_1)).isEqualTo(head);
            assertThat(linesOf(h)).containsExactly("GET /a?b=c HTTP/1.1", "Host| shop", "X-Empty|", "X-Spaced|  two words \t",
                    "X-Colons| a:b:c");
            assertThat(h.requestLineStart()).isZero();
            assertThat(h.requestLineEnd()).isEqualTo(19);
            assertThat(h.fieldStart(0)).isEqualTo(21);
            assertThat(h.colon(0)).isEqualTo(25);
            assertThat(h.fieldEnd(0)).isEqualTo(31);
        } finally {
            h.release();
        }
    }

    @Test
    void aHeadWithoutFieldsHasOnlyItsRequestLine() throws Exception {
        JudgedHead h = judged("GET / HTTP/1.1\r\n\r\n", 1);
        assertThat(h.fieldCount()).isZero();
        assertThat(linesOf(h)).containsExactly("GET / HTTP/1.1");
        h.release();
    }

    @Test
    void emptyLinesBeforeTheRequestLineAreSkipped() throws Exception {
        JudgedHead h = judged("\r\n\r\nDELETE /x HTTP/1.1\r\nHost: shop\r\n\r\n", 1);
        assertThat(h.requestLineStart()).isEqualTo(4);
        assertThat(linesOf(h)).containsExactly("DELETE /x HTTP/1.1", "Host| shop");
        h.release();
    }

    @Test
    void eachHeadOnAConnectionHasItsOwnCopyAndOffsets() throws Exception {
        RequestHeadJudge judge = new RequestHeadJudge(true);
        ByteBuf in = Unpooled.copiedBuffer("GET /1 HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\nOPTIONS /2 HTTP/1.1\r\nC: 3\r\n\r\n",
                StandardCharsets.ISO_8859_1);
        assertThat(judge.read(in)).isTrue();
        judge.judge();
        judge.requestEnded();
        JudgedHead first = judge.judgedHead(judge.takeHead());
        assertThat(judge.read(in)).isTrue();
        judge.judge();
        JudgedHead second = judge.judgedHead(judge.takeHead());
        in.release();

        assertThat(linesOf(first)).containsExactly("GET /1 HTTP/1.1", "A| 1", "B| 2");
        assertThat(linesOf(second)).containsExactly("OPTIONS /2 HTTP/1.1", "C| 3");
        first.release();
        second.release();
    }

    @Property(tries = 300)
    void theLinesReadThroughTheOffsetsAreTheLinesSent(@ForAll("fieldLines") List<String> fields, @ForAll("pieces") int pieces)
            throws Exception {
        String head = "GET /p HTTP/1.1\r\n" + String.join("", fields.stream().map(f -> f + "\r\n").toList()) + "\r\n";
        JudgedHead h = judged(head, pieces);
        List<String> expected = new ArrayList<>();
        expected.add("GET /p HTTP/1.1");
        for (String f : fields) expected.add(f.substring(0, f.indexOf(':')) + "|" + f.substring(f.indexOf(':') + 1));
        assertThat(linesOf(h)).isEqualTo(expected);
        h.release();
    }

    @Provide
    Arbitrary<List<String>> fieldLines() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcXYZ-_!#1").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> value = Arbitraries.strings().withChars("ab :/\t;=,Q9").ofMaxLength(30);
        return Combinators.combine(name, value).as((n, v) -> n + ":" + v).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<Integer> pieces() {
        return Arbitraries.integers().between(1, 40);
    }
}
