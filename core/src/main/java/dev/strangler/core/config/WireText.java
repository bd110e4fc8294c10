package dev.strangler.core.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Text from the config file that Strangler puts on the wire as it is (header values, paths of a
 * rewrite or a backend URL), and what it must not contain. The data plane trusts the config: a
 * header value with a line break would end the header and start another one (header injection);
 * a path with a dot segment or an encoded slash would let a backend resolve it outside the prefix
 * the operator meant (a rewrite to {@code /posts/../admin/**} serves {@code /admin}). So these are
 * refused when the file is read, not discovered on a request.
 */
final class WireText {
    /**
     * Headers that frame the message or the connection: the proxy sets them from what it actually
     * sends. A rule changing them makes the backend read the body differently from how it was sent
     * (a Content-Length of 3 on an 11-byte body: the rest becomes a second request).
     */
    private static final Set<String> FRAMING_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "te", "trailer", "upgrade", "proxy-connection");

    private WireText() {}

    /** Whether a header rule (set or remove) may not name this header. */
    static boolean isFraming(String header) {
        return FRAMING_HEADERS.contains(header.toLowerCase(Locale.ROOT));
    }

    static String framingProblem(String header) {
        return header + " frames the message or the connection, and Strangler sets it from what it sends; a rule "
                + "changing it would let the backend read the body differently from how it was sent; remove the rule";
    }

    /**
     * What is wrong with a header value, if anything: RFC 9110 §5.5 allows visible characters,
     * space and tab; CR, LF, NUL and the other control characters are refused.
     */
    static Optional<String> headerValueProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                return Optional.of("contains a line break (CR or LF) at character " + (i + 1) + ": it would end the header "
                        + "and start another one; write the value on one line");
            }
            if (c == 0) return Optional.of("contains a NUL character at character " + (i + 1) + "; remove it");
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return Optional.of("contains the control character U+" + String.format(Locale.ROOT, "%04X", (int) c)
                        + " at character " + (i + 1) + " (a header value is visible characters, spaces and tabs); remove it");
            }
        }
        return Optional.empty();
    }

    /**
     * What is wrong with a path the config gives (a rewrite template, a backend URL's prefix, a
     * match pattern), if anything: {@code .} or {@code ..} segments, percent-encoded dots, slashes
     * or backslashes, a backslash, or encoded or raw control characters.
     */
    static Optional<String> pathProblem(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return Optional.of("has a \"" + segment + "\" segment; a backend would resolve it and leave the path the "
                        + "route is meant to reach; write the path without it");
            }
        }
        String lower = path.toLowerCase(Locale.ROOT);
        for (String encoded : new String[]{"%2e", "%2f", "%5c", "%00"}) {
            if (lower.contains(encoded)) {
                return Optional.of("contains \"" + path.substring(lower.indexOf(encoded), lower.indexOf(encoded) + 3)
                        + "\" (an encoded " + switch (encoded) {
                            case "%2e" -> "dot";
                            case "%2f" -> "slash";
                            case "%5c" -> "backslash";
                            default -> "NUL";
                        } + "), which a backend that decodes paths turns into another path; write the path decoded");
            }
        }
        if (path.indexOf('\\') >= 0) return Optional.of("contains a backslash, which some backends take for '/'; use '/'");
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == ' ') {
                return Optional.of("contains " + (c == ' ' ? "a space" : "a control character") + " at character " + (i + 1)
                        + "; percent-encode it or remove it");
            }
        }
        return Optional.empty();
    }
}
