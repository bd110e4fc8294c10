package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.HeaderFields;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lean client's reader of backend responses on its own, without sockets: what it hands on for a
 * response is the same however the bytes are split into reads, a well-formed response reads as its
 * model says, malformed ones are refused (where Netty's decoder refused them before, and the cases
 * where it is stricter now, each pinned against Netty's verdict), and body bytes are the read buffer's
 * own, not copies. What a client then receives is pinned over sockets by {@code BackendResponseHeadTest}.
 */
class ResponseReaderTest {
    private static final int MAX_STATUS_LINE = 4096;
    private static final int MAX_FIELDS = 8192;

    /** What the reader hands on, written down so two reads compare: heads with their fields, each body whole, how it ended. */
    private static class Transcript implements ResponseReader.Listener {
        final StringBuilder text = new StringBuilder();
        private final StringBuilder body = new StringBuilder();

        @Override
        public void interim(int status, HttpHeaders headers) {
            text.append("interim ").append(status).append(' ').append(fields(headers)).append('\n');
        }

        @Override
        public void head(int status, String reason, HttpHeaders headers, HeaderFields fields, int connectionLines, boolean keepAlive) {
            // The fields kept apart (a shadow route's capture) read as the map's lines grouped by name.
            if (fields != null && headers != null) assertThat(fields).isEqualTo(grouped(headers));
            text.append("head ").append(status).append(" [").append(reason).append("] keep-alive ").append(keepAlive).append(' ')
                    .append(fields(headers)).append(connectionLines == 0 ? "" : " connection lines " + connectionLines).append('\n');
        }

        @Override
        public void content(ByteBuf bytes, boolean last) {
            body.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
            if (last) {
                text.append("body [").append(body).append("]\n");
                body.setLength(0);
            }
        }

        @Override
        public void unreadable(MalformedResponseException cause) {
            text.append("unreadable\n");
        }

        private static Map<String, List<String>> grouped(HttpHeaders headers) {
            Map<String, List<String>> byName = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, String> h : headers) byName.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
            return byName;
        }

        private static String fields(HttpHeaders headers) {
            if (headers == null) return "-";
            List<String> lines = new ArrayList<>();
            for (Map.Entry<String, String> h : headers) lines.add(h.getKey() + ": " + h.getValue());
            return lines.toString();
        }
    }

    /** Reads {@code bytes} in reads that end at {@code cuts}, then the connection's close; returns what was handed on. */
    private static String read(String bytes, boolean answersHead, int... cuts) {
        ResponseReader reader = new ResponseReader(MAX_STATUS_LINE, MAX_FIELDS);
        Transcript transcript = new Transcript();
        // Into a map given, and kept as fields too: every case below checks that both read alike.
        reader.expect(answersHead, NettyBridge.HEADERS.newHeaders(), true);
        List<ByteBuf> reads = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length();
            if (to <= from && i < cuts.length) continue;
            ByteBuf read = Unpooled.copiedBuffer(bytes.substring(from, to), StandardCharsets.ISO_8859_1);
            reads.add(read);
            reader.read(read, transcript);
            from = to;
        }
        if (!reader.closed(transcript)) transcript.text.append("closed\n");
        for (ByteBuf read : reads) assertThat(read.refCnt()).as("every read released").isZero();
        return transcript.text.toString();
    }

    private static String readWhole(String bytes) {
        return read(bytes, false);
    }

    // ---- well-formed responses, by a model ----

    /** One field line as sent, and what it reads as. */
    record Field(String sent, String name, String value) {
    }

    /** A response's model: how it is sent, and what the reader is to hand on for it. */
    record Response(String bytes, boolean answersHead, String expected) {
        @Override
        public String toString() {
            return (answersHead ? "(a HEAD's answer) " : "") + bytes.replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    private enum Framing { LENGTH, CHUNKED, CLOSE }

    @Provide
    Arbitrary<Response> responses() {
        Arbitrary<Integer> status = Arbitraries.of(200, 201, 204, 302, 304, 404, 500, 599);
        Arbitrary<String> reasonForm = Arbitraries.of("OK", "Fine Thanks", "", "none", "caf\u00e9\tok");
        Arbitrary<Field> field = Arbitraries.of(
                new Field("X-A: 1", "X-A", "1"),
                new Field("x-lower:tight", "x-lower", "tight"),
                new Field("X-Pad: \t a  b \t ", "X-Pad", "a  b"),
                new Field("X-Empty:", "X-Empty", ""),
                new Field("X-Spaced : v", "X-Spaced", "v"),
                new Field("X-Folded: one\r\n  two", "X-Folded", "one two"),
                new Field("X-Folded: one\r\n\tand\r\n two", "X-Folded", "one and two"),
                new Field("Set-Cookie: a=1; Path=/", "Set-Cookie", "a=1; Path=/"),
                new Field("Content-Type: text/plain; charset=\u00e9", "Content-Type", "text/plain; charset=\u00e9"),
                new Field("X-Quoted: \"a, b\", c", "X-Quoted", "\"a, b\", c"),
                new Field("Connection: X-A, keep-alive", "Connection", "X-A, keep-alive"));
        Arbitrary<List<Field>> fields = field.list().ofMaxSize(5).filter(l -> l.stream().filter(f -> f.name().equals("Connection")).count() <= 1);
        Arbitrary<List<Integer>> interims = Arbitraries.of(100, 102, 103).list().ofMaxSize(2);
        Arbitrary<String> body = Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(40);
        Arbitrary<List<Integer>> chunkCuts = Arbitraries.integers().between(0, 40).list().ofMaxSize(3);
        Arbitrary<String> extension = Arbitraries.of("", "", ";a=b", " ; q=\"x;y\"", ";flag");
        Arbitrary<String> trailers = Arbitraries.of("", "", "X-Sum: 1\r\n", "X-Sum: 1\r\nX-Other:  2 \r\n");
        return Combinators.combine(Arbitraries.of(true, false), status, reasonForm, fields, interims,
                        Arbitraries.of(Framing.values()), body, Arbitraries.of(true, false))
                .flatAs((http11, code, reason, lines, interim, framing, content, answersHead) ->
                        Combinators.combine(chunkCuts, extension, trailers, Arbitraries.of("", "", "close", "keep-alive"))
                                .as((cuts, ext, trailer, connection) ->
                                        response(http11, code, reason, lines, interim, http11 ? framing : (framing == Framing.CHUNKED ? Framing.LENGTH : framing),
                                                content, answersHead, cuts, ext, trailer, connection)));
    }

    private static Response response(boolean http11, int status, String reasonForm, List<Field> fields, List<Integer> interims, Framing framing,
                                     String body, boolean answersHead, List<Integer> chunkCuts, String extension, String trailers,
                                     String connectionOption) {
        StringBuilder bytes = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int code : interims) {
            bytes.append("HTTP/1.1 ").append(code).append(" Interim\r\n");
            if (code == 103) bytes.append("Link: </a.css>; rel=preload\r\n");
            bytes.append("\r\n");
            expected.append("interim ").append(code).append(' ').append(code == 103 ? "[Link: </a.css>; rel=preload]" : "-").append('\n');
        }
        String reason = reasonForm.equals("none") ? "" : reasonForm;
        bytes.append(http11 ? "HTTP/1.1 " : "HTTP/1.0 ").append(status).append(reasonForm.equals("none") ? "" : " " + reasonForm).append("\r\n");
        List<String> read = new ArrayList<>();
        boolean closeOption = false;
        boolean keepAliveOption = false;
        for (Field f : fields) {
            bytes.append(f.sent()).append("\r\n");
            read.add(f.name() + ": " + f.value());
            if (f.name().equals("Connection")) keepAliveOption = true;
        }
        if (!connectionOption.isEmpty()) {
            bytes.append("Connection: ").append(connectionOption).append("\r\n");
            read.add("Connection: " + connectionOption);
            closeOption = connectionOption.equals("close");
            keepAliveOption |= connectionOption.equals("keep-alive");
        }
        boolean bodiless = answersHead || status == 204 || status == 304;
        switch (framing) {
            case LENGTH -> {
                bytes.append("Content-Length: ").append(body.length()).append("\r\n\r\n");
                read.add("Content-Length: " + body.length());
                if (!bodiless) bytes.append(body);
            }
            case CHUNKED -> {
                bytes.append("Transfer-Encoding: chunked\r\n\r\n");
                read.add("Transfer-Encoding: chunked");
                if (!bodiless) {
                    int from = 0;
                    for (int cut : chunkCuts.stream().sorted().toList()) {
                        if (cut <= from || cut >= body.length()) continue;
                        bytes.append(Integer.toHexString(cut - from)).append(extension).append("\r\n").append(body, from, cut).append("\r\n");
                        from = cut;
                    }
                    if (from < body.length()) bytes.append(Integer.toHexString(body.length() - from).toUpperCase()).append("\r\n").append(body, from, body.length()).append("\r\n");
                    bytes.append("0").append(extension).append("\r\n").append(trailers).append("\r\n");
                }
            }
            case CLOSE -> {
                bytes.append("\r\n");
                if (!bodiless) bytes.append(body);
            }
        }
        long connectionLines = read.stream().filter(l -> l.startsWith("Connection: ")).count();
        boolean keepAlive = http11 ? !closeOption : keepAliveOption;
        expected.append("head ").append(status).append(" [").append(reason).append("] keep-alive ").append(keepAlive).append(' ').append(read)
                .append(connectionLines == 0 ? "" : " connection lines " + connectionLines).append('\n');
        expected.append("body [").append(bodiless ? "" : body).append("]\n");
        if (framing != Framing.CLOSE || bodiless) expected.append("closed\n"); // ended before the close
        return new Response(bytes.toString(), answersHead, expected.toString());
    }

    @Property(tries = 400)
    void aWellFormedResponseReadsAsItsModelSaysSplitAtEveryByteBoundary(@ForAll("responses") Response r) {
        assertThat(read(r.bytes(), r.answersHead())).as(r.toString()).isEqualTo(r.expected());
        for (int cut = 1; cut < r.bytes().length(); cut++) {
            assertThat(read(r.bytes(), r.answersHead(), cut)).as("split at %d: %s", cut, r).isEqualTo(r.expected());
        }
        int[] everyByte = new int[r.bytes().length()];
        for (int i = 0; i < everyByte.length; i++) everyByte[i] = i + 1;
        assertThat(read(r.bytes(), r.answersHead(), everyByte)).as("a byte at a time: %s", r).isEqualTo(r.expected());
    }

    // ---- malformed responses ----

    /** A malformed response, and whether Netty's decoder (with the relay's checks after it) refused it before. */
    record Malformed(String name, String bytes, boolean refusedBefore) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String BIG = "v".repeat(9000);

    static Stream<Malformed> malformedHeads() {
        return Stream.of(
                new Malformed("a control byte in a name", "HTTP/1.1 200 OK\r\nX-Bad\u0001Name: v\r\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("a separator in a name", "HTTP/1.1 200 OK\r\nX(Bad): v\r\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("a control byte in a value", "HTTP/1.1 200 OK\r\nX-Val: a\u0001b\r\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("a line without a colon", "HTTP/1.1 200 OK\r\nNoColonHere\r\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("a field past the size limit", "HTTP/1.1 200 OK\r\nX-Big: " + BIG + "\r\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("a status line past its limit", "HTTP/1.1 200 " + "R".repeat(5000) + "\r\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("a status that is no number", "HTTP/1.1 abc OK\r\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("an unknown version", "HTTP/1.10 200 OK\r\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("garbage", "NOT HTTP AT ALL\r\nX-Leak: 1\r\n\r\n", true),
                new Malformed("two different Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", true),
                new Malformed("two equal Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("a Content-Length list", "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok", true),
                new Malformed("a Content-Length that is no number", "HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\nok", true),
                new Malformed("a 101 no one asked for", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n", true),
                new Malformed("a signed Content-Length (§6.2: digits)", "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok", true),
                new Malformed("a folded Content-Length", "HTTP/1.1 200 OK\r\nContent-Length:\r\n 2\r\n\r\nok", true),
                new Malformed("whitespace before the first field (§2.2)", "HTTP/1.1 200 OK\r\n X-A: 1\r\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("a bare LF ending a field line (§2.2)", "HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 2\r\n\r\nok", true),
                new Malformed("a bare LF ending the status line", "HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\nok", true),
                // Refused now, read before (Netty's decoder is lenient with them; RFC 9112 says why each is refused):
                new Malformed("a lower-case version (§2.3: case-sensitive)", "http/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false),
                new Malformed("a coding before chunked (lost with the hop-by-hop header)", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", false),
                new Malformed("chunked twice (§7: not twice)", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", false),
                new Malformed("chunked not last (§6.3)", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nok", false),
                new Malformed("a transfer coding on HTTP/1.0 (§6.1)", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", false),
                new Malformed("a Transfer-Encoding without a coding (§6.1: 1#coding)", "HTTP/1.1 200 OK\r\nTransfer-Encoding: ,\r\nContent-Length: 2\r\n\r\nok", false),
                new Malformed("a status above 599", "HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\nok", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeads")
    void aMalformedHeadIsRefusedWithNothingOfItHandedOnWhereverTheBytesAreSplit(Malformed m) {
        assertThat(readWhole(m.bytes())).isEqualTo("unreadable\nclosed\n");
        for (int cut = 1; cut < Math.min(m.bytes().length(), 200); cut++) {
            assertThat(read(m.bytes(), false, cut)).as("split at %d", cut).isEqualTo("unreadable\nclosed\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeads")
    void whetherNettysDecoderRefusedItBeforeIsAsListed(Malformed m) {
        assertThat(refusedByNettyAndTheRelay(m.bytes())).as("refused before, by Netty's decoder and the relay").isEqualTo(m.refusedBefore());
    }

    static Stream<Malformed> malformedBodies() {
        return Stream.of(
                new Malformed("a chunk size that is no hex number", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\nok\r\n0\r\n\r\n", true),
                new Malformed("chunk data longer than its size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokay\r\n0\r\n\r\n", true),
                new Malformed("a chunk size followed by a space", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 \r\nok\r\n0\r\n\r\n", false),
                new Malformed("a chunk-size line ended by a bare LF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n", true),
                new Malformed("a control byte in a chunk extension", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;a\u0001\r\nok\r\n0\r\n\r\n", false),
                new Malformed("a trailer that is no field", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nnot a field\r\n\r\n", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void aMalformedChunkedBodyIsRefusedAfterItsHeadWhereverTheBytesAreSplit(Malformed m) {
        String expected = readWhole(m.bytes());
        assertThat(expected).startsWith("head 200 [OK] keep-alive true [Transfer-Encoding: chunked]\n").endsWith("unreadable\nclosed\n")
                .doesNotContain("body [");
        for (int cut = 1; cut < m.bytes().length(); cut++) {
            assertThat(read(m.bytes(), false, cut)).as("split at %d", cut).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void whetherNettysDecoderRefusedTheBodyBeforeIsAsListed(Malformed m) {
        assertThat(refusedByNettyAndTheRelay(m.bytes())).as("refused before, by Netty's decoder").isEqualTo(m.refusedBefore());
    }

    /** Whether Netty's decoder, set up as the lean client had it, failed the response, or the relay refused what it made of it (a 101). */
    private static boolean refusedByNettyAndTheRelay(String bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseDecoder(new HttpDecoderConfig().setMaxInitialLineLength(MAX_STATUS_LINE)
                .setMaxHeaderSize(MAX_FIELDS)));
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        channel.finish();
        boolean refused = false;
        Object m;
        while ((m = channel.readInbound()) != null) {
            if (m instanceof HttpObject o && o.decoderResult().isFailure()) refused = true;
            if (m instanceof io.netty.handler.codec.http.HttpResponse r && r.status().code() == 101) refused = true;
            ReferenceCountUtil.release(m);
        }
        return refused;
    }

    // ---- examples ----

    @Test
    void theBodyIsHandedOnAsTheReadBuffersOwnBytesNotACopy() {
        ResponseReader reader = new ResponseReader(MAX_STATUS_LINE, MAX_FIELDS);
        reader.expect(false, null, false);
        ByteBuf read = Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", StandardCharsets.US_ASCII);
        List<ByteBuf> handed = new ArrayList<>();
        reader.read(read, new Transcript() {
            @Override
            public void content(ByteBuf bytes, boolean last) {
                handed.add(bytes);
            }
        });

        assertThat(handed).hasSize(1);
        assertThat(handed.get(0).toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(handed.get(0).unwrap()).as("a slice of the read buffer").isSameAs(read);
        assertThat(read.refCnt()).as("held by the slice only").isEqualTo(1);
        handed.get(0).release();
        assertThat(read.refCnt()).isZero();
    }

    @Test
    void bytesAfterAWholeResponseAreSeenBeyondItAndNoneAfterAnExactOne() {
        ResponseReader reader = new ResponseReader(MAX_STATUS_LINE, MAX_FIELDS);
        Transcript transcript = new Transcript();
        reader.expect(true, null, false);
        reader.read(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", StandardCharsets.US_ASCII), transcript);
        assertThat(reader.holdsBytesBeyondTheResponse()).isFalse();

        reader.expect(true, null, false);
        reader.read(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", StandardCharsets.US_ASCII), transcript);
        assertThat(reader.holdsBytesBeyondTheResponse()).as("a body after a HEAD's answer").isTrue();

        reader.expect(false, null, false);
        reader.read(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokay", StandardCharsets.US_ASCII), transcript);
        assertThat(reader.holdsBytesBeyondTheResponse()).as("more than Content-Length").isTrue();
        assertThat(transcript.text.toString()).endsWith("body [ok]\n");
    }

    @Test
    void bytesWhenNoResponseIsExpectedAreRefused() {
        ResponseReader reader = new ResponseReader(MAX_STATUS_LINE, MAX_FIELDS);
        Transcript transcript = new Transcript();
        reader.read(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n\r\n", StandardCharsets.US_ASCII), transcript);
        assertThat(transcript.text.toString()).isEqualTo("unreadable\n");
    }

    @Test
    void contentLengthBesideChunkingIsLeftOutAndTheConnectionNotKept() {
        assertThat(readWhole("HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"))
                .isEqualTo("head 200 [OK] keep-alive false [Transfer-Encoding: chunked]\nbody [ok]\nclosed\n");
    }

    @Test
    void fieldsAskedForAloneComeInNoMapWithTheSameRulesAsTheMap() {
        ResponseReader reader = new ResponseReader(MAX_STATUS_LINE, MAX_FIELDS);
        List<Object[]> heads = new ArrayList<>();
        reader.expect(false, null, true);
        reader.read(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 99\r\n"
                + "X-Folded: one\r\n two\r\nTransfer-Encoding: chunked\r\nx-folded: three\r\n\r\n2\r\nok\r\n0\r\n\r\n",
                StandardCharsets.US_ASCII), new Transcript() {
            @Override
            public void head(int status, String reason, HttpHeaders headers, HeaderFields fields, int connectionLines, boolean keepAlive) {
                heads.add(new Object[] {headers, fields});
            }
        });

        assertThat(heads).hasSize(1);
        assertThat(heads.get(0)[0]).as("no map").isNull();
        HeaderFields fields = (HeaderFields) heads.get(0)[1];
        assertThat(fields.get("content-type")).containsExactly("application/json");
        assertThat(fields.get("X-FOLDED")).containsExactly("one two", "three");
        assertThat(fields.get("Content-Length")).as("left out beside chunking, as from the map").isNull();
        assertThat(fields).containsOnlyKeys("Content-Type", "X-Folded", "Transfer-Encoding");
    }

    @Test
    void aHeadCutOffByTheCloseHandsNothingOn() {
        assertThat(readWhole("HTTP/1.1 200 OK\r\nX-Leak: 1\r\n")).isEqualTo("closed\n");
        assertThat(readWhole("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel")).isEqualTo("head 200 [OK] keep-alive true [Content-Length: 5]\nclosed\n");
    }

    @Test
    void aBackendsRepeatedNamesAndValuesAreNotMadeAgain() {
        ResponseReader reader = new ResponseReader(MAX_STATUS_LINE, MAX_FIELDS);
        List<HttpHeaders> heads = new ArrayList<>();
        ResponseReader.Listener keep = new Transcript() {
            @Override
            public void head(int status, String reason, HttpHeaders headers, HeaderFields fields, int connectionLines, boolean keepAlive) {
                heads.add(headers);
            }
        };
        for (int i = 0; i < 2; i++) {
            reader.expect(false, null, false);
            reader.read(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Id: " + i + "\r\nContent-Length: 0\r\n\r\n",
                    StandardCharsets.US_ASCII), keep);
        }

        List<Map.Entry<String, String>> first = heads.get(0).entries();
        List<Map.Entry<CharSequence, CharSequence>> second = new ArrayList<>();
        heads.get(1).iteratorCharSequence().forEachRemaining(second::add);
        List<Map.Entry<CharSequence, CharSequence>> firstRaw = new ArrayList<>();
        heads.get(0).iteratorCharSequence().forEachRemaining(firstRaw::add);
        assertThat(first).hasSize(3);
        for (int i = 0; i < 3; i++) assertThat(second.get(i).getKey()).as("name %d", i).isSameAs(firstRaw.get(i).getKey());
        assertThat(second.get(0).getValue()).as("the same value").isSameAs(firstRaw.get(0).getValue());
        assertThat(second.get(1).getValue()).as("another value").isNotSameAs(firstRaw.get(1).getValue()).hasToString("1");
    }
}
