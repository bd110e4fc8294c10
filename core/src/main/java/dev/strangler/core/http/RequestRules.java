package dev.strangler.core.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a request must look like before the gateway forwards any of it. A gateway in front of all of
 * a company's traffic must read every request exactly as the backends behind it will, or an
 * attacker can make the two disagree (request smuggling, route bypass, path escape); where the
 * reading is ambiguous the request is refused, never guessed. The rules follow RFC 9110/9112 and
 * match NGINX where NGINX is as strict; each rule is one method below, and the README's "What
 * Strangler refuses and why" lists them with their status.
 *
 * <p>Pure: no I/O, no exceptions out of {@link #check}; the gateway calls it on the event loop.
 */
public final class RequestRules {
    /** The only transfer coding the gateway reads (as NGINX); any other is 501 (RFC 9112 §6.1). */
    static final String CHUNKED = "chunked";

    /**
     * The {@code Allow} of the gateway's own answers about methods (a refused TRACE's 405, an OPTIONS
     * it answers as the final recipient): the standard methods it forwards. Any other method but
     * TRACE is forwarded too; what a backend allows for a resource only the backend can say.
     */
    public static final String ALLOW = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS";

    private RequestRules() {}

    /** Accepts the request with its normalised target and authority, or says why it is refused. */
    public static RequestCheck check(RequestHead head) {
        try {
            // Read where the lines stand: no list, no String per line (a valid request has one Host,
            // and framing needs only how many Transfer-Encoding and Content-Length lines came, and the first of each).
            HeaderLines lines = head.headers();
            String firstHost = null;
            int hosts = 0;
            CharSequence firstTransferEncoding = null;
            int transferEncodings = 0;
            CharSequence firstContentLength = null;
            int contentLengths = 0;
            int connections = 0;
            // Max-Forwards is read only where the gateway must update it (RFC 9110 §7.6.2; TRACE is refused anyway).
            boolean options = head.method().equals("OPTIONS");
            CharSequence firstMaxForwards = null;
            int maxForwards = 0;
            for (int i = 0; i < lines.count(); i++) {
                CharSequence name = lines.name(i);
                checkName(name);
                checkValue(name, lines.value(i));
                if (lines.hasName(i, "host")) {
                    if (hosts++ == 0) firstHost = lines.value(i).toString();
                } else if (lines.hasName(i, "transfer-encoding")) {
                    if (transferEncodings++ == 0) firstTransferEncoding = lines.value(i);
                } else if (lines.hasName(i, "content-length")) {
                    if (contentLengths++ == 0) firstContentLength = lines.value(i);
                } else if (lines.hasName(i, "connection")) {
                    connections++;
                } else if (options && lines.hasName(i, "max-forwards")) {
                    if (maxForwards++ == 0) firstMaxForwards = lines.value(i);
                }
            }
            Optional<Rejection> framing = framing(head.protocol(), transferEncodings, firstTransferEncoding, contentLengths, firstContentLength);
            if (framing.isPresent()) return framing.get();
            if (maxForwards > 1 || (maxForwards == 1 && maxForwards(firstMaxForwards) < 0))
                return Rejection.badRequest(Rejection.Code.BAD_MAX_FORWARDS,
                        "Max-Forwards must be one value of 1 to 18 digits, was \"" + printable(firstMaxForwards) + "\""
                                + (maxForwards > 1 ? " and more" : ""));
            // OPTIONS * asks about the server in general (RFC 9112 §3.2.4); '*' with any other method is refused by parse.
            RequestTarget target = options && head.target().equals("*") ? RequestTarget.ASTERISK_FORM : RequestTarget.parse(head.target());
            String authority = authority(head, firstHost, hosts, target);
            if (head.method().equals("TRACE")) return traceRefused();
            return new RequestCheck.Accepted(target, authority, connections);
        } catch (RequestTarget.Invalid e) {
            return e.rejection;
        }
    }

    /**
     * RFC 9112 §3.2: an HTTP/1.1 request has exactly one valid {@code Host} (400 otherwise); in
     * absolute-form the target's authority wins over it (§3.2.2). HTTP/2 uses {@code :authority},
     * else {@code Host} (RFC 9113 §8.3.1). HTTP/1.0 may omit it.
     */
    private static String authority(RequestHead head, String firstHost, int hosts, RequestTarget target) {
        if (hosts > 1) throw new RequestTarget.Invalid(Rejection.Code.DUPLICATE_HOST, "the request has more than one Host header");
        // null when there is none (a local: no Optional to allocate per request)
        String host = head.protocol() == Protocol.HTTP_2 && head.h2Authority().isPresent() ? head.h2Authority().get() : firstHost;
        if (host == null && head.protocol() != Protocol.HTTP_1_0)
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

    /**
     * How the body is delimited (RFC 9112 §6), judged on every {@code Transfer-Encoding} and
     * {@code Content-Length} field line as received. NGINX's rules: both at once, two
     * {@code Transfer-Encoding} lines, {@code Transfer-Encoding} in HTTP/1.0, or a bad or repeated
     * {@code Content-Length} are 400; a coding other than exactly {@code chunked} is 501. HTTP/2
     * frames bodies itself and forbids {@code Transfer-Encoding} (RFC 9113 §8.2.2).
     */
    public static Optional<Rejection> framing(Protocol protocol, List<String> transferEncodings, List<String> contentLengths) {
        return framing(protocol, transferEncodings.size(), transferEncodings.isEmpty() ? null : transferEncodings.get(0),
                contentLengths.size(), contentLengths.isEmpty() ? null : contentLengths.get(0));
    }

    /** {@link #framing(Protocol, List, List)} on counts of lines and the first value of each kind (null when none). */
    private static Optional<Rejection> framing(Protocol protocol, int transferEncodings, CharSequence firstTransferEncoding,
                                               int contentLengths, CharSequence firstContentLength) {
        if (transferEncodings > 0) {
            if (protocol == Protocol.HTTP_2)
                return bad(Rejection.Code.UNKNOWN_TRANSFER_CODING, "HTTP/2 requests must not carry Transfer-Encoding");
            if (protocol == Protocol.HTTP_1_0)
                return bad(Rejection.Code.TRANSFER_ENCODING_IN_HTTP_1_0, "an HTTP/1.0 request must not carry Transfer-Encoding");
            if (contentLengths > 0)
                return bad(Rejection.Code.CONTENT_LENGTH_WITH_TRANSFER_ENCODING,
                        "the request has both Content-Length and Transfer-Encoding, so its end is ambiguous");
            if (transferEncodings > 1)
                return bad(Rejection.Code.DUPLICATE_TRANSFER_ENCODING, "the request has more than one Transfer-Encoding header");
            String coding = firstTransferEncoding.toString().trim();
            if (!coding.toLowerCase(Locale.ROOT).equals(CHUNKED))
                return Optional.of(new Rejection(501, Rejection.Code.UNKNOWN_TRANSFER_CODING,
                        "the only transfer coding accepted is \"chunked\", was \"" + printable(coding) + "\""));
        }
        if (contentLengths > 1)
            return bad(Rejection.Code.DUPLICATE_CONTENT_LENGTH, "the request has more than one Content-Length header");
        if (contentLengths == 1 && !isOneTo18Digits(firstContentLength.toString().trim()))
            return bad(Rejection.Code.BAD_CONTENT_LENGTH, "Content-Length must be 1 to 18 digits, was \"" + printable(firstContentLength) + "\"");
        return Optional.empty();
    }

    /**
     * Whether a request's head announces content (RFC 9112 §6.3): the one rule by which the decision,
     * the framing guard and the exchange tell a request with a body from one without. A
     * {@code Transfer-Encoding} does (chunked framing has to be read to its last chunk, even one that
     * turns out empty); a {@code Content-Length} does unless {@link #isZeroLength its value is zero};
     * neither: no body.
     *
     * @param contentLength the first {@code Content-Length} value, if the request has one
     */
    public static boolean announcesContent(boolean hasTransferEncoding, Optional<String> contentLength) {
        return hasTransferEncoding || (contentLength.isPresent() && !isZeroLength(contentLength.get()));
    }

    /**
     * Whether a {@code Content-Length} value says there is no body: zero written with any number of
     * digits ({@code 0}, {@code 00}, {@code 000}), around optional whitespace. RFC 9110 §8.6 makes the
     * value a decimal number ({@code 1*DIGIT}), so {@code 00} is zero bytes, as every reader of the
     * length (the guard's {@code Long.parseLong}, the backend's decoder) takes it. Anything else (a
     * sign, a list, a digit other than ASCII) is not zero: a request {@link #framing} would refuse is never
     * taken for one without a body on a guess. Read in place: the exchange asks for every request with a length.
     */
    public static boolean isZeroLength(CharSequence contentLength) {
        int from = 0;
        int to = contentLength.length();
        while (from < to && isOptionalWhitespace(contentLength.charAt(from))) from++;
        while (to > from && isOptionalWhitespace(contentLength.charAt(to - 1))) to--;
        if (from == to) return false;
        for (int i = from; i < to; i++) if (contentLength.charAt(i) != '0') return false;
        return true;
    }

    /** OWS (RFC 9110 §5.6.3): the spaces and tabs a field value may have around it. */
    private static boolean isOptionalWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * TRACE is never forwarded (405, as NGINX answers it): the final recipient reflects the request's
     * headers back in its body, cookies and {@code Authorization} included, which a script on another
     * site could read (cross-site tracing). Secure by default: no backend behind the gateway is asked
     * to get that right. RFC 9110 §9.3.8 lets a server refuse it.
     */
    private static Rejection traceRefused() {
        return new Rejection(405, Rejection.Code.METHOD_NOT_ALLOWED,
                "TRACE is not forwarded: its answer would echo the request's cookies and credentials back");
    }

    /**
     * A {@code Max-Forwards} value (RFC 9110 §7.6.2: {@code 1*DIGIT}) as a number: 1 to 18 digits,
     * around optional whitespace; -1 for anything else (a list, a sign, an empty value, more digits),
     * which {@link #check} refuses on an OPTIONS request.
     */
    public static long maxForwards(CharSequence value) {
        String v = value.toString().trim();
        return isOneTo18Digits(v) ? Long.parseLong(v) : -1;
    }

    /** RFC 9110 §5.1: a field name is a token, never empty (so {@code ": v"} is refused). */
    private static void checkName(CharSequence name) {
        if (name.isEmpty()) throw new RequestTarget.Invalid(Rejection.Code.BAD_HEADER_NAME, "a header has an empty name");
        for (int i = 0; i < name.length(); i++)
            if (!isTchar(name.charAt(i)))
                throw new RequestTarget.Invalid(Rejection.Code.BAD_HEADER_NAME, "a header name contains a character a token may not");
    }

    /** RFC 9110 §5.5: no CR, LF, NUL or other control byte but HTAB in a field value (HTTP/2 carries them otherwise). */
    private static void checkValue(CharSequence name, CharSequence v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (isControl(c))
                throw new RequestTarget.Invalid(Rejection.Code.BAD_HEADER_VALUE,
                        "the value of header " + printable(name) + " contains a control byte (CR, LF, NUL, ...)");
        }
    }

    /** RFC 9110 §5.6.2's tchar, by ASCII code: a table, since every byte of every header name is looked up. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = 0; c < 128; c++)
            TCHAR[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static boolean isTchar(char c) {
        return c < 128 && TCHAR[c];
    }

    /** RFC 9110 §5.5: a control byte other than HTAB, which no field value (nor chunk extension) may hold. */
    static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f;
    }

    /** The form of Content-Length and Max-Forwards values the gateway reads: 1 to 18 ASCII digits, so the number fits a long. */
    private static boolean isOneTo18Digits(String v) {
        if (v.isEmpty() || v.length() > 18) return false;
        for (int i = 0; i < v.length(); i++) if (v.charAt(i) < '0' || v.charAt(i) > '9') return false;
        return true;
    }

    private static Optional<Rejection> bad(Rejection.Code code, String detail) {
        return Optional.of(Rejection.badRequest(code, detail));
    }

    /** A value as it may be quoted in a problem body: printable ASCII only, at most 64 chars. */
    private static String printable(CharSequence s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return b.toString();
    }
}
