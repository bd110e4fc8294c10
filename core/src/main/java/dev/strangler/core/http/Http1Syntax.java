package dev.strangler.core.http;

/**
 * The grammar of the lines of an HTTP/1.1 request (RFC 9112), read strictly: one line at a time,
 * without its CRLF, one char per received byte. Used by the gateway's framing guard, which reads
 * the raw bytes before any lenient parser can hide an ambiguity.
 */
public final class Http1Syntax {
    private Http1Syntax() {}

    /** A request line: {@code method SP request-target SP HTTP-version}. */
    public record RequestLine(String method, String target, Protocol protocol) {}

    /** HTTP/2's connection preface starts like a request line (RFC 9113 §3.4). */
    public static boolean isHttp2Preface(CharSequence line) {
        return "PRI * HTTP/2.0".contentEquals(line);
    }

    /**
     * RFC 9112 §3: exactly two single spaces, a token method, a target without spaces or control
     * bytes, and {@code HTTP/1.0} or {@code HTTP/1.1}; another {@code HTTP/x.y} is 505.
     */
    public static RequestLine requestLine(CharSequence line) throws SyntaxViolation {
        Protocol protocol = checkRequestLine(line);
        int sp1 = indexOf(line, ' ', 0);
        int sp2 = indexOf(line, ' ', sp1 + 1);
        return new RequestLine(line.subSequence(0, sp1).toString(), line.subSequence(sp1 + 1, sp2).toString(), protocol);
    }

    /**
     * Checks a request line in place, by the rules of {@link #requestLine}, without cutting out its
     * method and target (the framing guard needs only the version, unless it refuses the request).
     */
    public static Protocol checkRequestLine(CharSequence line) throws SyntaxViolation {
        // Exactly two spaces, both words before them non-empty (what split(" ", -1) into three parts checked, without its array and list).
        int sp1 = indexOf(line, ' ', 0);
        int sp2 = sp1 < 0 ? -1 : indexOf(line, ' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || indexOf(line, ' ', sp2 + 1) >= 0)
            throw SyntaxViolation.of(Rejection.Code.BAD_REQUEST_LINE, "the request line is not METHOD SP TARGET SP VERSION");
        for (int i = 0; i < sp1; i++)
            if (!RequestRules.isTchar(line.charAt(i))) throw SyntaxViolation.of(Rejection.Code.BAD_REQUEST_LINE, "the method is not a token");
        for (int i = sp1 + 1; i < sp2; i++) {
            char c = line.charAt(i);
            if (c <= 0x20 || c == 0x7f) throw SyntaxViolation.of(Rejection.Code.BAD_PATH, "the request target contains a control byte");
        }
        int versionLength = line.length() - sp2 - 1;
        if (versionLength == 8 && startsWith(line, sp2 + 1, "HTTP/1.1")) return Protocol.HTTP_1_1;
        if (versionLength == 8 && startsWith(line, sp2 + 1, "HTTP/1.0")) return Protocol.HTTP_1_0;
        String version = line.subSequence(sp2 + 1, line.length()).toString();
        if (version.matches("HTTP/[0-9]\\.[0-9]"))
            throw new SyntaxViolation(new Rejection(505, Rejection.Code.UNSUPPORTED_VERSION,
                    "only HTTP/1.0 and HTTP/1.1 are spoken here, was " + version));
        throw SyntaxViolation.of(Rejection.Code.BAD_REQUEST_LINE, "the protocol version is not HTTP/1.0 or HTTP/1.1");
    }

    /**
     * A header or trailer field line (RFC 9112 §5): {@code token ":" OWS value OWS}, no whitespace
     * before the colon, no obsolete line folding (§5.2), no control byte but HTAB in the value.
     */
    public static HeaderField fieldLine(CharSequence line) throws SyntaxViolation {
        int colon = checkFieldLine(line);
        return new HeaderField(line.subSequence(0, colon).toString(), fieldValue(line, colon));
    }

    /**
     * Checks a field line in place, by the rules of {@link #fieldLine}, without cutting it into a
     * name and a value: the caller compares the name ({@code line[0, colon)}) where it stands and
     * takes {@link #fieldValue} only of the fields it needs.
     *
     * @return the index of the colon
     */
    public static int checkFieldLine(CharSequence line) throws SyntaxViolation {
        char first = line.charAt(0);
        if (first == ' ' || first == '\t')
            throw SyntaxViolation.of(Rejection.Code.FOLDED_HEADER, "a header line starts with whitespace (obsolete line folding, RFC 9112 §5.2)");
        int colon = indexOf(line, ':', 0);
        if (colon <= 0)
            throw SyntaxViolation.of(Rejection.Code.BAD_HEADER_NAME, colon == 0 ? "a header has an empty name" : "a header line has no ':'");
        for (int i = 0; i < colon; i++)
            if (!RequestRules.isTchar(line.charAt(i)))
                throw SyntaxViolation.of(Rejection.Code.BAD_HEADER_NAME, "a header name contains a character a token may not");
        int to = valueEnd(line, colon);
        for (int i = valueStart(line, colon); i < to; i++)
            if (RequestRules.isControl(line.charAt(i)))
                throw SyntaxViolation.of(Rejection.Code.BAD_HEADER_VALUE, "a header value contains a control byte");
        return colon;
    }

    /** The value of a field line {@link #checkFieldLine} accepted, without surrounding whitespace. */
    public static String fieldValue(CharSequence line, int colon) {
        return line.subSequence(valueStart(line, colon), valueEnd(line, colon)).toString();
    }

    // The value's bounds as String.strip() would leave them (one char per byte, so chars are code points).
    private static int valueStart(CharSequence line, int colon) {
        int from = colon + 1;
        while (from < line.length() && Character.isWhitespace(line.charAt(from))) from++;
        return from;
    }

    private static int valueEnd(CharSequence line, int colon) {
        int from = valueStart(line, colon);
        int to = line.length();
        while (to > from && Character.isWhitespace(line.charAt(to - 1))) to--;
        return to;
    }

    /** Whether the name of a field line (colon at {@code colon}) is {@code name}, case-insensitively as {@link String#regionMatches(boolean, int, String, int, int)}. */
    public static boolean hasName(CharSequence line, int colon, String name) {
        if (colon != name.length()) return false;
        for (int i = 0; i < colon; i++) {
            char a = line.charAt(i);
            char b = name.charAt(i);
            if (a == b) continue;
            char ua = Character.toUpperCase(a);
            char ub = Character.toUpperCase(b);
            if (ua != ub && Character.toLowerCase(ua) != Character.toLowerCase(ub)) return false;
        }
        return true;
    }

    /** Whether a field name (a whole sequence, as a header map holds it) is {@code name}, case-insensitively as {@link #hasName(CharSequence, int, String)}. */
    public static boolean hasName(CharSequence fieldName, String name) {
        return hasName(fieldName, fieldName.length(), name);
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) if (s.charAt(i) == c) return i;
        return -1;
    }

    private static boolean startsWith(CharSequence s, int offset, String prefix) {
        if (s.length() - offset < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) if (s.charAt(offset + i) != prefix.charAt(i)) return false;
        return true;
    }

    /**
     * A chunk-size line (RFC 9112 §7.1): {@code 1*HEXDIG [ BWS ";" chunk-ext ]}. No sign, no leading
     * whitespace, no {@code 0x}, at most 15 significant hex digits — NGINX refuses the same.
     */
    public static long chunkSize(String line) throws SyntaxViolation {
        int i = 0;
        long size = 0;
        int significant = 0;
        while (i < line.length() && RequestTarget.hex(line.charAt(i)) >= 0) {
            size = size * 16 + RequestTarget.hex(line.charAt(i));
            if (size > 0 && ++significant > 15) throw SyntaxViolation.of(Rejection.Code.BAD_CHUNK, "a chunk size is too large");
            i++;
        }
        if (i == 0) throw SyntaxViolation.of(Rejection.Code.BAD_CHUNK, "a chunk size must start with a hex digit");
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
        if (i < line.length()) {
            if (line.charAt(i) != ';')
                throw SyntaxViolation.of(Rejection.Code.BAD_CHUNK, "a chunk size is followed by something other than an extension");
            for (int j = i; j < line.length(); j++) {
                char c = line.charAt(j);
                if (RequestRules.isControl(c))
                    throw SyntaxViolation.of(Rejection.Code.BAD_CHUNK, "a chunk extension contains a control byte");
            }
        }
        return size;
    }
}
