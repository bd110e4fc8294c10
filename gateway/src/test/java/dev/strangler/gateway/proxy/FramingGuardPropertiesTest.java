package dev.strangler.gateway.proxy;

import dev.strangler.core.http.Http1Syntax;
import dev.strangler.core.http.Rejection;
import dev.strangler.core.http.RequestRules;
import dev.strangler.core.http.SyntaxViolation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard judges a head where its bytes stand; this holds it to the plain way of reading one: cut
 * the bytes into lines (CRLF only), then judge each line as a String with {@link Http1Syntax} and
 * the framing with {@link RequestRules#framing}. Heads are made of the pieces smuggling attempts
 * use (obsolete folding, bare CR, bare LF, doubled or conflicting framing headers, other versions,
 * absolute-form, empty lines before the request line), sent in one read and split at random.
 */
class FramingGuardPropertiesTest {
    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";

    @Provide
    Arbitrary<String> requests() {
        Arbitrary<String> requestLine = Arbitraries.of("GET /a HTTP/1.1", "POST /api/r0/items/42?x=1 HTTP/1.1", "GET http://h:80/x HTTP/1.0",
                "GET  /a HTTP/1.1", "GET /a HTTP/1.2", "GET /a\u0001 HTTP/1.1", "G(T / HTTP/1.1", "GET /caf\u00e9 HTTP/1.1", "GET /a");
        Arbitrary<String> header = Arbitraries.of("Host: a", "host:127.0.0.1:8080", "Content-Length: 0", "content-length:00",
                "Content-Length: +0", "Content-Length: 0, 0", "Transfer-Encoding: chunked", "transfer-encoding:  Chunked ",
                "Transfer-Encoding: chunked, identity", "Transfer-Encoding: gzip", " folded", "\tfolded", "X-A : v", ": v",
                "no colon", "X-A: v\u0000", "X-A: tab\tok \u00e9", "X\u00e9: v", "X-Strangler-Refused: 1", "User-Agent: wrk",
                "Accept: */*", "X-Bare: a\rb", "X-Lf: a\nb");
        Arbitrary<String> leading = Arbitraries.of("", "", "\r\n", "\r\n\r\n", "\n", "\r");
        return Combinators.combine(leading, requestLine, header.list().ofMaxSize(6), Arbitraries.of("\r\n", "\n", "\r\r\n"))
                .as((before, line, headers, end) -> {
                    String head = before + line + "\r\n" + String.join("\r\n", headers) + (headers.isEmpty() ? "" : "\r\n") + end;
                    boolean chunked = headers.stream().anyMatch(h -> h.toLowerCase().startsWith("transfer-encoding"));
                    return head + (chunked ? "0\r\n\r\n" : "") + NEXT;
                });
    }

    @Property(tries = 2000)
    void theGuardJudgesAHeadFromItsBytesAsReadingItLineByLineDoes(@ForAll("requests") String bytes) {
        Verdict expected = lineByLine(bytes);
        Verdict inOneRead = guard(bytes, List.of(bytes.length()));
        assertThat(inOneRead).as(shown(bytes)).isEqualTo(expected);
    }

    /** Heads of about {@link FramingGuard#MAX_HEAD_BYTES}, padded after their first line: judged, refused or left to the decoder. */
    @Provide
    Arbitrary<String> largeRequests() {
        return Combinators.combine(requests(), Arbitraries.integers().between(-40, 8)).as((bytes, offset) -> {
            int cut = bytes.indexOf("\r\n") + 2;
            int padding = Math.max(0, FramingGuard.MAX_HEAD_BYTES + offset - bytes.indexOf("\r\n\r\n") - 4 - "X-Pad: \r\n".length());
            return cut < 2 ? bytes : bytes.substring(0, cut) + "X-Pad: " + "p".repeat(padding) + "\r\n" + bytes.substring(cut);
        });
    }

    @Property(tries = 300)
    void aHeadNearTheSizeLimitIsJudgedAsReadingItLineByLineDoes(@ForAll("largeRequests") String bytes,
                                                                @ForAll("cuts") List<Integer> cuts) {
        Verdict expected = lineByLine(bytes);
        String shown = bytes.length() + " bytes: " + shown(bytes.replaceAll("p{20,}", "p..."));
        assertThat(guard(bytes, List.of(bytes.length()))).as(shown).isEqualTo(expected);
        List<Integer> largeReads = cuts.stream().map(n -> n * 997).toList();
        assertThat(guard(bytes, largeReads)).as(shown).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void howTheBytesAreSplitIntoReadsChangesNothing(@ForAll("requests") String bytes,
                                                     @ForAll("cuts") List<Integer> cuts) {
        assertThat(guard(bytes, cuts)).isEqualTo(guard(bytes, List.of(bytes.length())));
    }

    /**
     * A guard that marks judged heads for the own server passes on the same bytes and answers, and each
     * {@link JudgedHead}'s offsets give the lines its bytes hold, cut the plain way.
     */
    @Property(tries = 1000)
    void aGuardThatMarksJudgedHeadsPassesOnTheSameWithTheHeadsLines(@ForAll("requests") String bytes,
                                                                     @ForAll("cuts") List<Integer> cuts) {
        assertThat(guard(bytes, cuts, true)).isEqualTo(guard(bytes, cuts, false));
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(1, 7).list().ofMinSize(1).ofMaxSize(40);
    }

    /** What the decoder is given and what the handler is told about the first two requests. */
    record Verdict(String passedOn, List<String> answers) {}

    private static Verdict guard(String bytes, List<Integer> readSizes) {
        return guard(bytes, readSizes, false);
    }

    private static Verdict guard(String bytes, List<Integer> readSizes, boolean marksJudgedHeads) {
        EmbeddedChannel channel = new EmbeddedChannel(new FramingGuard(marksJudgedHeads));
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int i = 0; at < bytes.length(); i++) {
            int n = i < readSizes.size() ? Math.min(readSizes.get(i), bytes.length() - at) : bytes.length() - at;
            channel.writeInbound(Unpooled.copiedBuffer(bytes.substring(at, at + n), StandardCharsets.ISO_8859_1));
            at += n;
            Object m;
            while ((m = channel.readInbound()) != null) {
                if (m instanceof JudgedHead h) assertThat(linesThroughOffsets(h)).isEqualTo(linesCut(h.content()));
                ByteBuf b = m instanceof JudgedHead h ? h.content() : (ByteBuf) m;
                out.append(b.toString(StandardCharsets.ISO_8859_1));
                b.release();
            }
        }
        FramingGuard guard = channel.attr(FramingGuard.KEY).get();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) answers.add(answer(guard.refusalOfNextRequest()));
        channel.finishAndReleaseAll();
        return new Verdict(out.toString(), answers);
    }

    /** The head's request line and field lines read through its offsets in its copy. */
    private static List<String> linesThroughOffsets(JudgedHead h) {
        String text = new String(h.text(), StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        lines.add(text.substring(h.requestLineStart(), h.requestLineEnd()));
        for (int i = 0; i < h.fieldCount(); i++) {
            assertThat(text.charAt(h.colon(i))).isEqualTo(':');
            lines.add(text.substring(h.fieldStart(i), h.fieldEnd(i)));
        }
        return lines;
    }

    /** The non-empty lines of a head's bytes, cut at each CRLF. */
    private static List<String> linesCut(ByteBuf head) {
        List<String> lines = new ArrayList<>();
        for (String l : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) if (!l.isEmpty()) lines.add(l);
        return lines;
    }

    /**
     * The first request read the plain way, byte by byte (as the guard did before it scanned in
     * place): lines as Strings, then the same grammar and framing rules.
     */
    private static Verdict lineByLine(String bytes) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int i = 0;
        try {
            boolean sawCr = false;
            while (true) {
                // A head that has not ended within the limit is left to the decoder unjudged.
                if (i >= FramingGuard.MAX_HEAD_BYTES) return new Verdict(bytes, List.of("forward", "forward"));
                char c = bytes.charAt(i++);
                if (sawCr && c != '\n') throw SyntaxViolation.of(Rejection.Code.BAD_LINE_ENDING, "a CR not followed by LF");
                if (!sawCr && c == '\n') throw SyntaxViolation.of(Rejection.Code.BAD_LINE_ENDING, "a line ends with a bare LF; lines end with CRLF");
                if (c == '\r') sawCr = true;
                if (c != '\n') {
                    if (c != '\r') line.append(c);
                    continue;
                }
                sawCr = false;
                if (!line.isEmpty()) lines.add(line.toString());
                else if (!lines.isEmpty()) break;
                line.setLength(0);
            }
        } catch (SyntaxViolation v) {
            return refused("GET", "/", v.rejection());
        }
        Http1Syntax.RequestLine requestLine;
        try {
            requestLine = Http1Syntax.requestLine(lines.get(0));
        } catch (SyntaxViolation v) {
            return refused("GET", "/", v.rejection());
        }
        try {
            List<String> transferEncodings = new ArrayList<>();
            List<String> contentLengths = new ArrayList<>();
            for (String l : lines.subList(1, lines.size())) {
                int colon = Http1Syntax.checkFieldLine(l);
                String name = l.substring(0, colon);
                if (name.equalsIgnoreCase("transfer-encoding")) transferEncodings.add(l.substring(colon + 1).strip());
                else if (name.equalsIgnoreCase("content-length")) contentLengths.add(l.substring(colon + 1).strip());
                else if (name.equalsIgnoreCase(FramingGuard.REFUSED_HEADER))
                    throw SyntaxViolation.of(Rejection.Code.BAD_HEADER_NAME, FramingGuard.REFUSED_HEADER + " is reserved for the gateway");
            }
            var framing = RequestRules.framing(requestLine.protocol(), transferEncodings, contentLengths);
            if (framing.isPresent()) throw new SyntaxViolation(framing.get());
        } catch (SyntaxViolation v) {
            String target = requestLine.target().chars().allMatch(c -> c > 0x20 && c < 0x7f) ? requestLine.target() : "/";
            return refused(requestLine.method(), target, v.rejection());
        }
        return new Verdict(bytes, List.of("forward", "forward"));
    }

    private static String shown(String bytes) {
        return bytes.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static Verdict refused(String method, String target, Rejection rejection) {
        String synthetic = method + " " + target + " HTTP/1.1\r\nHost: refused.invalid\r\nContent-Length: 0\r\n\r\n";
        return new Verdict(synthetic, List.of(answer(rejection), answer(rejection)));
    }

    private static String answer(Rejection r) {
        return r == null ? "forward" : r.status() + " " + r.code().label() + ": " + r.detail();
    }
}
