package dev.strangler.core.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RequestRules} reads a head's header lines in place ({@link HeaderLines}) and gives every
 * request the verdict the list-based reading gave before it: the same acceptance (target and
 * authority) or the same refusal (status, code and detail). The oracle is a copy of that earlier
 * code, kept here unchanged. Heads are made of what smuggling attempts and sloppy clients send:
 * names in every case, with whitespace, control bytes and obs-text; repeated Host, Transfer-Encoding
 * and Content-Length lines in all combinations; empty and padded values.
 */
class HeaderLinesInPlacePropertiesTest {
    private static final List<String> NAMES = List.of("Host", "host", "HOST", "hOsT", "Transfer-Encoding", "transfer-encoding",
            "TRANSFER-ENCODING", "Transfer-encoding", "Content-Length", "content-length", "CONTENT-LENGTH", "content-Length",
            "Upgrade", "X-Request-Id", "x", "Accept", "!#$%&'*+-.^_`|~");
    /** Names no token grammar accepts, some of them a letter away from a framing header or equal to one ignoring case in Unicode (dotless i, dotted I, long s). */
    private static final List<String> MESSY_NAMES = List.of("", " Host", "Host ", "Ho st", "Host\t", "Content-Length\u0000", "H\u00e9st",
            "Transfer-Encod\u0131ng", "Transfer-Encod\u0130ng", "Ho\u017ft", "\u00ff", "\u0100", "X:Y", "a\u007f");
    private static final List<String> VALUE_PIECES = List.of("chunked", "Chunked", "CHUNKED", " ", "\t", ",", "identity", "gzip",
            "0", "5", "12", "-1", "+3", "1e3", "0012", "1234567890123456789", "example.com", ":8080", ":99999", "[::1]", "a b",
            "\u0080", "\u00a0", "\u00e9", "\u00ff", "\u0100", "/", "@");
    private static final List<String> CONTROLS = List.of("\u0000", "\r", "\n", "\u000b", "\u001f", "\u007f");
    private static final List<String> TARGETS = List.of("/", "/a", "/a/../b", "/%2e%2e/x", "http://h.example/x", "http://h.example:81/",
            "*", "example.com:443", "", "/a b", "//x");

    record Head(Protocol protocol, String target, List<HeaderField> fields, Optional<String> h2Authority) {}

    @Provide
    Arbitrary<Head> heads() {
        // Mostly the pieces (so that many heads get as far as framing and the authority), sometimes anything.
        // Mostly well-formed pieces (so that many heads get as far as framing and the authority), sometimes anything.
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.of(NAMES)),
                Tuple.of(1, Arbitraries.of(MESSY_NAMES)),
                Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u0101').ofMaxLength(6)));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.of(VALUE_PIECES).list().ofMaxSize(3).map(pieces -> String.join("", pieces))),
                Tuple.of(1, Arbitraries.of(CONTROLS).map(c -> "chunked" + c)),
                Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u0101').ofMaxLength(8)));
        Arbitrary<HeaderField> field = Combinators.combine(name, value).as(HeaderField::new);
        Arbitrary<List<HeaderField>> fields = field.list().ofMaxSize(7);
        Arbitrary<Optional<String>> h2Authority = Arbitraries.of(Optional.<String>empty(), Optional.of("svc.example:443"), Optional.of("bad host"));
        return Combinators.combine(Arbitraries.of(Protocol.class), Arbitraries.of(TARGETS), fields, h2Authority).as(Head::new);
    }

    @Property(tries = 5000)
    void theVerdictOnHeaderLinesReadInPlaceIsTheVerdictOfTheListBasedReading(@ForAll("heads") Head h) {
        RequestCheck before = ListBasedRules.check(h.protocol(), h.target(), h.fields(), h.h2Authority());

        RequestCheck fromFields = RequestRules.check(new RequestHead("GET", h.protocol(), h.target(), h.fields(), h.h2Authority()));
        RequestCheck inPlace = RequestRules.check(new RequestHead("GET", h.protocol(), h.target(), inOneBackingArray(h.fields()), h.h2Authority()));

        Statistics.collect(before instanceof Rejection r ? r.code() : "accepted");
        assertThat(fromFields).isEqualTo(before);
        assertThat(inPlace).isEqualTo(before);
    }

    @Property(tries = 1000)
    void aNameMatchesExactlyWhenStringEqualsIgnoreCaseSaysSo(@ForAll("heads") Head h) {
        HeaderLines lines = inOneBackingArray(h.fields());
        for (int i = 0; i < lines.count(); i++)
            for (String expected : List.of("host", "transfer-encoding", "content-length", "Upgrade", "x", ""))
                assertThat(lines.hasName(i, expected)).isEqualTo(h.fields().get(i).name().equalsIgnoreCase(expected));
    }

    @Example
    void linesAreEqualWhenTheirTextIsWhateverSequencesHoldIt() {
        HeaderLines strings = HeaderLines.of(List.of(new HeaderField("Host", "a"), new HeaderField("X", "")));
        HeaderLines builders = HeaderLines.builder(0).add(new StringBuilder("Host"), CharBuffer.wrap("a")).add("X", new StringBuilder()).build();

        assertThat(builders).isEqualTo(strings).hasSameHashCodeAs(strings).hasToString("[Host: a, X: ]");
        assertThat(builders.count()).isEqualTo(2);
        assertThat(builders.name(1).toString()).isEqualTo("X");
        assertThat(HeaderLines.of(List.of(new HeaderField("host", "a")))).isNotEqualTo(strings);
    }

    @Example
    void aBuilderHandsItsLinesOverOnceAndCannotChangeThemAfterwards() {
        HeaderLines.Builder b = HeaderLines.builder(1).add("A", "1");
        HeaderLines built = b.build();

        assertThatThrownBy(() -> b.add("B", "2")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
        assertThat(built.count()).isEqualTo(1);
        assertThatThrownBy(() -> built.name(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** The fields as views into one char array, as a parser that keeps offsets would hand them over. */
    private static HeaderLines inOneBackingArray(List<HeaderField> fields) {
        StringBuilder all = new StringBuilder("junk before");
        int[] bounds = new int[fields.size() * 4];
        for (int i = 0; i < fields.size(); i++) {
            bounds[4 * i] = all.length();
            all.append(fields.get(i).name());
            bounds[4 * i + 1] = all.length();
            all.append(':');
            bounds[4 * i + 2] = all.length();
            all.append(fields.get(i).value());
            bounds[4 * i + 3] = all.length();
            all.append("\r\n");
        }
        char[] backing = all.toString().toCharArray();
        HeaderLines.Builder b = HeaderLines.builder(fields.size());
        for (int i = 0; i < fields.size(); i++)
            b.add(CharBuffer.wrap(backing, bounds[4 * i], bounds[4 * i + 1] - bounds[4 * i]),
                    CharBuffer.wrap(backing, bounds[4 * i + 2], bounds[4 * i + 3] - bounds[4 * i + 2]));
        return b.build();
    }

    /** RequestRules.check as it was before header lines were read in place (commit 5a8f6d0), the oracle. */
    private static final class ListBasedRules {
        static RequestCheck check(Protocol protocol, String rawTarget, List<HeaderField> headers, Optional<String> h2Authority) {
            try {
                String firstHost = null;
                int hosts = 0;
                List<String> transferEncodings = new ArrayList<>(0);
                List<String> contentLengths = new ArrayList<>(0);
                for (HeaderField h : headers) {
                    String name = h.name();
                    checkName(name);
                    checkValue(h);
                    if (name.equalsIgnoreCase("host")) {
                        if (hosts++ == 0) firstHost = h.value();
                    } else if (name.equalsIgnoreCase("transfer-encoding")) transferEncodings.add(h.value());
                    else if (name.equalsIgnoreCase("content-length")) contentLengths.add(h.value());
                }
                Optional<Rejection> framing = framing(protocol, transferEncodings, contentLengths);
                if (framing.isPresent()) return framing.get();
                RequestTarget target = RequestTarget.parse(rawTarget);
                // No generated name is Connection (counted since), so every accepted head has none of its lines.
                return new RequestCheck.Accepted(target, authority(protocol, h2Authority, firstHost, hosts, target), 0);
            } catch (RequestTarget.Invalid e) {
                return e.rejection;
            }
        }

        private static String authority(Protocol protocol, Optional<String> h2Authority, String firstHost, int hosts, RequestTarget target) {
            if (hosts > 1) throw new RequestTarget.Invalid(Rejection.Code.DUPLICATE_HOST, "the request has more than one Host header");
            String host = protocol == Protocol.HTTP_2 && h2Authority.isPresent() ? h2Authority.get() : firstHost;
            if (host == null && protocol != Protocol.HTTP_1_0)
                throw new RequestTarget.Invalid(Rejection.Code.MISSING_HOST, "the request has no Host header");
            if (host != null) {
                try {
                    Authority.check(host);
                } catch (RequestTarget.Invalid e) {
                    throw new RequestTarget.Invalid(Rejection.Code.BAD_HOST, "the Host header is invalid: " + e.getMessage());
                }
            }
            return target.authority().orElse(host == null ? "" : host);
        }

        static Optional<Rejection> framing(Protocol protocol, List<String> transferEncodings, List<String> contentLengths) {
            if (!transferEncodings.isEmpty()) {
                if (protocol == Protocol.HTTP_2)
                    return bad(Rejection.Code.UNKNOWN_TRANSFER_CODING, "HTTP/2 requests must not carry Transfer-Encoding");
                if (protocol == Protocol.HTTP_1_0)
                    return bad(Rejection.Code.TRANSFER_ENCODING_IN_HTTP_1_0, "an HTTP/1.0 request must not carry Transfer-Encoding");
                if (!contentLengths.isEmpty())
                    return bad(Rejection.Code.CONTENT_LENGTH_WITH_TRANSFER_ENCODING,
                            "the request has both Content-Length and Transfer-Encoding, so its end is ambiguous");
                if (transferEncodings.size() > 1)
                    return bad(Rejection.Code.DUPLICATE_TRANSFER_ENCODING, "the request has more than one Transfer-Encoding header");
                String coding = transferEncodings.get(0).trim();
                if (!coding.toLowerCase(Locale.ROOT).equals(RequestRules.CHUNKED))
                    return Optional.of(new Rejection(501, Rejection.Code.UNKNOWN_TRANSFER_CODING,
                            "the only transfer coding accepted is \"chunked\", was \"" + printable(coding) + "\""));
            }
            if (contentLengths.size() > 1)
                return bad(Rejection.Code.DUPLICATE_CONTENT_LENGTH, "the request has more than one Content-Length header");
            if (contentLengths.size() == 1 && !isContentLength(contentLengths.get(0).trim()))
                return bad(Rejection.Code.BAD_CONTENT_LENGTH, "Content-Length must be 1 to 18 digits, was \"" + printable(contentLengths.get(0)) + "\"");
            return Optional.empty();
        }

        private static void checkName(String name) {
            if (name.isEmpty()) throw new RequestTarget.Invalid(Rejection.Code.BAD_HEADER_NAME, "a header has an empty name");
            for (int i = 0; i < name.length(); i++)
                if (!RequestRules.isTchar(name.charAt(i)))
                    throw new RequestTarget.Invalid(Rejection.Code.BAD_HEADER_NAME, "a header name contains a character a token may not");
        }

        private static void checkValue(HeaderField h) {
            String v = h.value();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (RequestRules.isControl(c))
                    throw new RequestTarget.Invalid(Rejection.Code.BAD_HEADER_VALUE,
                            "the value of header " + printable(h.name()) + " contains a control byte (CR, LF, NUL, ...)");
            }
        }

        private static boolean isContentLength(String v) {
            if (v.isEmpty() || v.length() > 18) return false;
            for (int i = 0; i < v.length(); i++) if (v.charAt(i) < '0' || v.charAt(i) > '9') return false;
            return true;
        }

        private static Optional<Rejection> bad(Rejection.Code code, String detail) {
            return Optional.of(Rejection.badRequest(code, detail));
        }

        private static String printable(String s) {
            StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
            for (int i = 0; i < s.length() && i < 64; i++) {
                char c = s.charAt(i);
                b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
            }
            return b.toString();
        }
    }
}
