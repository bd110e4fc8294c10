package dev.strangler.core.catalog;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one path segment looks like on its own, before any traffic is seen: an identifier a person
 * would recognise at a glance (a number, a UUID, a hash, a date, an e-mail, a random token), or a
 * word that only cardinality can decide about.
 *
 * <p>The rules err towards {@link #WORD}: a word wrongly kept literal is fixed later by the
 * templater's cardinality rule, while a word wrongly made a parameter ({@code /orders/export}
 * becoming {@code /orders/{orderId}}) would hide an endpoint for good.
 */
enum SegmentShape {
    /** A word: literal unless its position turns out to be high-cardinality. */
    WORD,
    /** An identifier: a parameter at once. */
    ID,
    /** A date or timestamp: a parameter named {@code {date}}. */
    DATE;

    /**
     * Literal aliases and verbs that stay literal even where the position is a parameter:
     * {@code /users/me} next to {@code /users/{userId}}.
     */
    static final Set<String> ALIASES = Set.of(
            "me", "self", "current", "mine", "my", "new", "create", "edit", "search", "find", "query", "lookup",
            "suggest", "autocomplete", "export", "import", "upload", "download", "count", "latest", "recent",
            "popular", "trending", "featured", "top", "first", "last", "next", "previous", "random", "batch",
            "bulk", "all", "stats", "statistics", "summary", "status", "health", "info", "config", "settings",
            "profile", "default", "today", "feed", "history", "archive", "metadata", "schema", "validate",
            "preview", "login", "logout", "register");

    private static final Pattern VERSION = Pattern.compile("[vV]\\d+(\\.\\d+)*");
    private static final Pattern ISO_DATE = Pattern.compile("(19|20)\\d\\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?");
    private static final Pattern COMPACT_DATE = Pattern.compile("(19|20)\\d\\d(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(19|20)\\d\\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])[T ]\\d\\d:\\d\\d(:\\d\\d)?([.,]\\d+)?(Z|[+-]\\d\\d:?\\d\\d)?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}");
    /** Smallest length of a hex string taken for a hash even without digits and letters mixed. */
    static final int HEX_HASH_LENGTH = 16;
    /** Smallest length of a mixed-case token (base64url, nanoid, Stripe-like ids). */
    static final int TOKEN_LENGTH = 10;
    /** Bits per character above which a token reads as random rather than as a name. */
    static final double TOKEN_ENTROPY_BITS = 2.5;

    /** Also for a segment read in place ({@link PathSegments#view}): nothing here keeps {@code s}. */
    static SegmentShape of(CharSequence s) {
        if (s.length() == 0) return WORD;
        int digits = 0, lower = 0, upper = 0, hex = 0, other = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') digits++;
            else if (c >= 'a' && c <= 'z') lower++;
            else if (c >= 'A' && c <= 'Z') upper++;
            else other++;
            if (Character.digit(c, 16) >= 0) hex++;
        }
        int n = s.length();
        char first = s.charAt(0);
        // The patterns only run where the counts allow a match: this is called for every segment of
        // every request, and most segments are plain words or plain numbers.
        if ((first == 'v' || first == 'V') && digits > 0 && VERSION.matcher(s).matches()) return WORD;
        if ((first == '1' || first == '2') && digits >= 6
                && (COMPACT_DATE.matcher(s).matches() || ISO_DATE.matcher(s).matches() || TIMESTAMP.matcher(s).matches()))
            return DATE;
        if (digits == n || isSignedInteger(s)) return ID;
        if (isUuid(s) || (indexOf(s, '@') > 0 && EMAIL.matcher(s).matches())) return ID;
        if (hex == n && (n >= HEX_HASH_LENGTH || (n >= 8 && digits > 0))) return ID;
        // Mostly digits with a prefix or separators: ORD-12345, 2024-Q1-0042.
        if (digits >= 4 && digits * 2 >= n) return ID;
        if (isToken(s, n, digits, lower, upper, other)) return ID;
        return WORD;
    }

    private static boolean isToken(CharSequence s, int n, int digits, int lower, int upper, int other) {
        if (n < TOKEN_LENGTH || digits == 0) return false;
        if (other > 0) {
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (!Character.isLetterOrDigit(c) && c != '_' && c != '-' && c != '=') return false;
            }
        }
        // Lower case and digits only (nanoid-like) counts when digits are plentiful: k3j4h5g6f7d8.
        boolean mixedCase = lower > 0 && upper > 0;
        if (!mixedCase && digits < 3) return false;
        return entropyBitsPerChar(s) >= TOKEN_ENTROPY_BITS;
    }

    private static double entropyBitsPerChar(CharSequence s) {
        int[] counts = new int[128];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
                n++;
            }
        }
        double bits = 0;
        for (int c : counts) {
            if (c == 0) continue;
            double p = (double) c / n;
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }

    /** {@code 42}, {@code -1}, {@code +7}: an integer, signed or not. */
    static boolean isSignedInteger(CharSequence s) {
        int start = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (s.length() == start || s.length() - start > 19) return false;
        for (int i = start; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /**
     * {@code 8-4-4-4-12} ASCII hex digits, checked by hand rather than by a regular expression: UUIDs
     * are the commonest ids in paths, and a matcher would be an allocation per segment on the
     * event loop that catalogs the request.
     */
    static boolean isUuid(CharSequence s) {
        if (s.length() != 36) return false;
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : isAsciiHexDigit(c);
            if (!ok) return false;
        }
        return true;
    }

    private static boolean isAsciiHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** {@code 2026-11-30}: a calendar date without a time. */
    static boolean isIsoDate(CharSequence s) {
        return s.length() == 10 && ISO_DATE.matcher(s).matches();
    }

    static boolean isVersion(String s) {
        return VERSION.matcher(s).matches();
    }

    static boolean isAlias(String s) {
        return ALIASES.contains(s);
    }

    /**
     * {@link #ALIASES} by segment, so that a segment is checked in place ({@link #isAlias(PathSegments, int)}).
     * Filled once while the class initialises and only read after, so every thread sees it whole.
     */
    private static final LiteralChildren<String> ALIAS_TABLE = new LiteralChildren<>();

    static {
        for (String alias : ALIASES) ALIAS_TABLE.put(alias, alias);
    }

    /** As {@link #isAlias(String)} for segment {@code i}, compared in place. */
    static boolean isAlias(PathSegments segments, int i) {
        return ALIAS_TABLE.get(segments, i) != null;
    }

    /** {@code {name}}: a parameter already, as in a template fed back for reconciling. */
    static boolean isParam(CharSequence segment) {
        return segment.length() >= 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }

    /** Segments that cannot be literals of a route pattern ({@code *}, braces, dot segments) are taken as parameters. */
    static boolean isUnfitForLiteral(CharSequence segment) {
        int n = segment.length();
        if (n == 1 && segment.charAt(0) == '.' || n == 2 && segment.charAt(0) == '.' && segment.charAt(1) == '.') return true;
        return indexOf(segment, '{') >= 0 || indexOf(segment, '}') >= 0 || indexOf(segment, '*') >= 0;
    }

    private static int indexOf(CharSequence s, char c) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == c) return i;
        return -1;
    }
}
