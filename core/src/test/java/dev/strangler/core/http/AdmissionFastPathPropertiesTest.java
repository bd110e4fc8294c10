package dev.strangler.core.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shortcuts of the admission path read requests exactly as the longer way does: a path already
 * in normal form is returned as it is only where building it char by char gives the same path, and
 * the grammar reads the same verdict from a head's bytes in place ({@link ByteText}) as from a
 * String of the line. Inputs are made of the pieces that attacks and sloppy clients use.
 */
class AdmissionFastPathPropertiesTest {
    private static final List<String> PATH_PIECES = List.of("/", "//", "a", "Z", "0", "-", "_", "~", ";", ";x=1", ".", "..",
            "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "\\", "%41", "%7e", "%7E", "%3B", "%3b", "%20", "%FF", "%fF", "%Z1",
            "%c3%a9", "%C3%A9", "\u00c3\u00a9", "\u00e9",
            "%", "%4", "%zz", "%00", " ", "\t", "\r", "\u0001", "\u007f", "\u0100", ":", "@", "!");
    private static final List<String> LINE_PIECES = List.of("GET", "POST", " ", "  ", "/a", "/", "*", "http://h/x", "HTTP/1.1",
            "HTTP/1.0", "HTTP/1.2", "HTTP/2.0", "http/1.1", "HTTP/11", ":", "Host", "host", "HOST", "Transfer-Encoding",
            "content-length", "Upgrade", "X-Strangler-Refused", "chunked", "12", "\t", "\u0000", "\u000b", "\u001f", "\u007f",
            "\u00a0", "\u00b5", "\u00e9", "\u00ff", "x", "(", "-", "PRI * HTTP/2.0");

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(PATH_PIECES).list().ofMaxSize(10).map(pieces -> "/" + String.join("", pieces));
    }

    @Provide
    Arbitrary<String> lines() {
        return Arbitraries.of(LINE_PIECES).list().ofMinSize(1).ofMaxSize(8).map(pieces -> String.join("", pieces));
    }

    @Property(tries = 3000)
    void aPathIsNormalisedAsTheCopyingWayDoesAndReturnedAsItIsWhenAlreadyNormal(@ForAll("paths") String raw) {
        assertThat(outcome(() -> RequestTarget.normalisePath(raw))).isEqualTo(outcome(() -> RequestTarget.normalisedCopy(raw)));
        String normal = result(() -> RequestTarget.normalisePath(raw));
        if (normal != null && normal.equals(raw)) assertThat(RequestTarget.normalisePath(raw)).isSameAs(raw);
    }

    @Property(tries = 3000)
    void aLineReadInPlaceFromBytesGetsTheVerdictOfTheSameLineAsAString(@ForAll("lines") String line) {
        ByteText inPlace = inTheMiddleOfOtherBytes(line);
        assertThat(inPlace.toString()).isEqualTo(line);
        assertThat(outcome(() -> Http1Syntax.requestLine(inPlace))).isEqualTo(outcome(() -> Http1Syntax.requestLine(line)));
        assertThat(outcome(() -> Http1Syntax.checkRequestLine(inPlace))).isEqualTo(outcome(() -> Http1Syntax.checkRequestLine(line)));
        assertThat(Http1Syntax.isHttp2Preface(inPlace)).isEqualTo(line.equals("PRI * HTTP/2.0"));
        assertThat(outcome(() -> Http1Syntax.fieldLine(inPlace))).isEqualTo(outcome(() -> Http1Syntax.fieldLine(line)));
        assertThat(outcome(() -> Http1Syntax.checkFieldLine(inPlace))).isEqualTo(outcome(() -> Http1Syntax.checkFieldLine(line)));
        Integer colon = result(() -> Http1Syntax.checkFieldLine(inPlace));
        if (colon != null) {
            // What the String-only code did: substring and strip, regionMatches.
            assertThat(Http1Syntax.fieldValue(inPlace, colon)).isEqualTo(line.substring(colon + 1).strip());
            for (String name : List.of("host", "transfer-encoding", "content-length", "upgrade", "X-Strangler-Refused", "x", "\u00b5"))
                assertThat(Http1Syntax.hasName(inPlace, colon, name)).as(name)
                        .isEqualTo(colon == name.length() && line.regionMatches(true, 0, name, 0, colon));
        }
    }

    @Example
    void everyCharIsATokenCharExactlyWhenRfc9110SaysSo() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            assertThat(RequestRules.isTchar(c)).as("U+%04X", (int) c).isEqualTo(tchar);
        }
        assertThat(RequestRules.isTchar(Character.MAX_VALUE)).isFalse();
    }

    @Property(tries = 2000)
    void anAuthorityIsAcceptedExactlyWhenItIsAHostNameOrIpv6LiteralWithAnOptionalPortUpTo65535(
            @ForAll("authorities") String authority) {
        boolean wellFormed = authority.matches("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9._~-]+)(:[0-9]{1,5})?");
        int colon = authority.lastIndexOf(':');
        boolean portInRange = !wellFormed || colon < 0 || authority.indexOf(']') > colon
                || Integer.parseInt(authority.substring(colon + 1)) <= 65535;
        String outcome = outcome(() -> {
            Authority.check(authority);
            return "";
        });
        assertThat(outcome.startsWith("ok")).as(outcome).isEqualTo(wellFormed && portInRange);
    }

    @Provide
    Arbitrary<String> authorities() {
        return Arbitraries.of("a", "B", "1", "127.0.0.1", "[", "]", "::1", ":", "80", "65535", "65536", "99999", "123456", "0",
                "%2e", "@", "_", "~", " ", "x.example", "fe80::1").list().ofMaxSize(5).map(pieces -> String.join("", pieces));
    }

    private static ByteText inTheMiddleOfOtherBytes(String line) {
        byte[] bytes = ("\r\nX" + line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return new ByteText(bytes, 3, bytes.length - 2);
    }

    /** What a call gives: its value, or the rejection it throws (code and detail). */
    private static String outcome(Callable<?> call) {
        try {
            return "ok " + call.call();
        } catch (SyntaxViolation v) {
            return "refused " + v.rejection();
        } catch (RequestTarget.Invalid e) {
            return "refused " + e.rejection;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T result(Callable<T> call) {
        try {
            return call.call();
        } catch (SyntaxViolation | RequestTarget.Invalid e) {
            return null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
