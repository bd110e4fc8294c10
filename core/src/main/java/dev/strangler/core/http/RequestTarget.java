package dev.strangler.core.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A request-target (RFC 9112 §3.2) read strictly and put in the one form that routing matches and
 * the backend receives, so the two can never disagree about which path a request is for.
 *
 * <h2>Normal form of the path</h2>
 * <ul>
 *   <li>percent-encoded unreserved characters are decoded ({@code /api/%70osts} → {@code /api/posts},
 *       RFC 3986 §6.2.2.2) and the hex digits of the other escapes are upper-cased ({@code %c3} →
 *       {@code %C3}, §6.2.2.1);</li>
 *   <li>runs of {@code /} are merged (NGINX's {@code merge_slashes on});</li>
 *   <li>refused with 400 rather than normalised: dot segments ({@code .}, {@code ..}, also encoded or
 *       followed by {@code ;params}), an encoded {@code /} or {@code \} ({@code %2F}, {@code %5C}: a
 *       backend that decodes them would see other segments than the route matched), a raw
 *       {@code \}, {@code %00}, a malformed escape, control bytes and spaces, and bytes that are not
 *       UTF-8.</li>
 * </ul>
 * Bytes above 0x7F are kept as they came: the HTTP layer hands them over one char per byte
 * (ISO-8859-1), and this class turns that back into the UTF-8 text they spell, which the
 * backend client writes out as the very same bytes. They are never re-encoded.
 *
 * <h2>Forms</h2>
 * Origin-form ({@code /path?query}) and absolute-form ({@code http://host/path}, whose authority then
 * decides the host, §3.2.2) are parsed here. Asterisk-form ({@code OPTIONS *}, §3.2.4) is
 * {@link #ASTERISK_FORM}, whose path {@code *} no parsed path can be (they start with {@code /});
 * {@link RequestRules} accepts it for OPTIONS only, and the gateway answers it itself. Authority-form
 * ({@code CONNECT}) is not proxied. A fragment is not part of any request-target: {@code #} is refused.
 *
 * <p>The query is checked (no control bytes, spaces, fragment or raw bytes above 0x7F, which RFC 3986
 * requires percent-encoded) but passed on as it was: its meaning belongs to the backend.
 */
public record RequestTarget(String path, Optional<String> query, Optional<String> authority) {
    /** Thrown inside this package only, without a stack trace: parsing is on the request path. */
    static final class Invalid extends RuntimeException {
        final Rejection rejection;

        Invalid(Rejection.Code code, String detail) {
            super(detail, null, false, false);
            this.rejection = Rejection.badRequest(code, detail);
        }
    }

    /** {@code *}: a request about the server in general rather than one of its resources (RFC 9110 §9.3.7). */
    static final RequestTarget ASTERISK_FORM = new RequestTarget("*", Optional.empty(), Optional.empty());

    /** Whether this is the asterisk-form {@code *}, which names no resource, so no route and no backend's path. */
    public boolean isAsteriskForm() {
        return path.equals("*");
    }

    /** The path and, when there is one, {@code ?query}: what the backend is sent. */
    public String pathAndQuery() {
        return query.map(q -> path + "?" + q).orElse(path);
    }

    /** Parses and normalises a raw request-target as the HTTP layer read it (one char per byte). */
    static RequestTarget parse(String raw) {
        if (raw.isEmpty()) throw new Invalid(Rejection.Code.BAD_TARGET, "the request target is empty");
        if (raw.indexOf('#') >= 0)
            throw new Invalid(Rejection.Code.FRAGMENT, "a request target must not contain a fragment ('#')");
        Optional<String> authority = Optional.empty();
        String rest = raw;
        if (raw.charAt(0) != '/') {
            if (raw.equals("*"))
                throw new Invalid(Rejection.Code.BAD_TARGET, "the asterisk-form target '*' is only for OPTIONS (RFC 9112 §3.2.4)");
            int scheme = schemeLength(raw);
            if (scheme < 0 || !raw.startsWith("//", scheme + 1))
                throw new Invalid(Rejection.Code.BAD_TARGET, "the request target must be a path starting with '/' or an absolute http(s) URI");
            int authorityStart = scheme + 3;
            int authorityEnd = authorityStart;
            while (authorityEnd < raw.length() && raw.charAt(authorityEnd) != '/' && raw.charAt(authorityEnd) != '?') authorityEnd++;
            String a = raw.substring(authorityStart, authorityEnd);
            if (a.indexOf('@') >= 0) throw new Invalid(Rejection.Code.BAD_TARGET, "an absolute request target must not carry user information");
            Authority.check(a);
            authority = Optional.of(a);
            rest = authorityEnd == raw.length() ? "/" : raw.charAt(authorityEnd) == '?' ? "/" + raw.substring(authorityEnd) : raw.substring(authorityEnd);
        }
        int q = rest.indexOf('?');
        String rawPath = q < 0 ? rest : rest.substring(0, q);
        Optional<String> query = q < 0 ? Optional.empty() : Optional.of(checkQuery(rest.substring(q + 1)));
        return new RequestTarget(normalisePath(rawPath), query, authority);
    }

    /** Length of an {@code http} or {@code https} scheme followed by ':', else -1. */
    private static int schemeLength(String raw) {
        String lower = raw.length() >= 8 ? raw.substring(0, 8).toLowerCase(Locale.ROOT) : raw.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http:")) return 4;
        if (lower.startsWith("https:")) return 5;
        return -1;
    }

    /**
     * A literal path segment of a route pattern in the same normal form as request paths, so that a
     * pattern written {@code /api/%7Euser} matches the request {@code /api/~user} it means. A segment
     * no request could have in normal form (say {@code ..%2f}, as the catalog may learn from an
     * access log) is returned as it is: it never matches, which is the truth.
     */
    public static String normalisedSegment(String segment) {
        try {
            String path = normalisePath("/" + segment);
            return path.length() > 1 && path.indexOf('/', 1) < 0 ? path.substring(1) : segment;
        } catch (Invalid e) {
            return segment;
        }
    }

    static String normalisePath(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '/')
            throw new Invalid(Rejection.Code.BAD_PATH, "the request path must start with '/'");
        return isNormal(raw) ? routable(raw) : normalisedCopy(raw);
    }

    /**
     * Whether {@link #normalisedCopy} would build {@code raw} itself (most paths): visible ASCII
     * without {@code \} or {@code //}, whose escapes are already in normal form (upper-case hex, of
     * a byte that stays escaped and is allowed). Anything else, including every path that is refused
     * for its bytes, takes the copying path, which judges it.
     */
    private static boolean isNormal(String raw) {
        char previous = 0;
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\' || (c == '/' && previous == '/')) return false;
            if (c == '%') {
                if (i + 2 >= n || !isUpperHex(raw.charAt(i + 1)) || !isUpperHex(raw.charAt(i + 2))) return false;
                int v = hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2));
                if (v == 0 || v == '/' || v == '\\' || isUnreserved(v)) return false;
                i += 2;
            }
            previous = c;
        }
        return true;
    }

    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    private static String routable(String path) {
        if (!dev.strangler.core.routing.RequestPath.isRoutable(path))
            throw new Invalid(Rejection.Code.DOT_SEGMENT, "the request path must be free of '.' and '..' segments");
        return path;
    }

    /** The path in normal form, built char by char; {@code raw} starts with '/'. */
    static String normalisedCopy(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        boolean nonAscii = false;
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c == 0x7f) throw new Invalid(Rejection.Code.BAD_PATH, "the request path contains a space or control byte");
            if (c > 0xff) throw new Invalid(Rejection.Code.BAD_PATH, "the request path contains a character that is not a byte");
            if (c > 0x7f) nonAscii = true;
            if (c == '\\') throw new Invalid(Rejection.Code.ENCODED_SEPARATOR, "the request path contains '\\', which some backends read as '/'");
            if (c == '/') {
                if (out.length() > 0 && out.charAt(out.length() - 1) == '/') continue; // merge slashes
                out.append('/');
                continue;
            }
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= n || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0)
                throw new Invalid(Rejection.Code.BAD_PATH, "the request path has a '%' that is not followed by two hex digits");
            int v = hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2));
            i += 2;
            if (v == 0) throw new Invalid(Rejection.Code.BAD_PATH, "the request path contains %00");
            if (v == '/' || v == '\\')
                throw new Invalid(Rejection.Code.ENCODED_SEPARATOR, "the request path contains an encoded '/' or '\\' (%2F, %5C), "
                        + "which a backend that decodes it would split into other segments than the route matched");
            if (isUnreserved(v)) out.append((char) v);
            else out.append('%').append(HEX[v >> 4]).append(HEX[v & 15]);
        }
        String path = routable(out.toString());
        return nonAscii ? utf8(path, "path") : path;
    }

    private static String checkQuery(String query) {
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c <= 0x20 || c == 0x7f) throw new Invalid(Rejection.Code.BAD_TARGET, "the query contains a space or control byte");
            if (c > 0xff) throw new Invalid(Rejection.Code.BAD_TARGET, "the query contains a character that is not a byte");
            if (c > 0x7f)
                throw new Invalid(Rejection.Code.BAD_TARGET, "the query contains a raw byte above 0x7F; percent-encode it (RFC 3986 §2.1)");
        }
        return query;
    }

    /** Bytes received one char each (ISO-8859-1) read as the UTF-8 they are, or refused when they are not UTF-8. */
    private static String utf8(String oneCharPerByte, String part) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(oneCharPerByte.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            throw new Invalid(Rejection.Code.NOT_UTF8, "the request " + part + " contains bytes above 0x7F that are not UTF-8");
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** RFC 3986 §2.3: a letter, a digit, {@code - . _ ~}. */
    static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
