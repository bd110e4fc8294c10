package dev.strangler.core.http;

import java.util.Locale;

/**
 * {@code uri-host [ ":" port ]} as RFC 9112 §3.2 and RFC 3986 §3.2.2 allow it in {@code Host},
 * {@code :authority} and an absolute-form target. Stricter than RFC 3986's reg-name in one way, as
 * NGINX is: a name is letters, digits, {@code - . _ ~} (no percent-encoding or sub-delims, which no
 * DNS name needs and which backends split differently).
 */
public final class Authority {
    private Authority() {}

    /** Whether {@code c} may stand in a host name here: RFC 3986's unreserved characters (a letter, a digit, {@code - . _ ~}). */
    public static boolean isHostNameChar(char c) {
        return RequestTarget.isUnreserved(c);
    }

    /** Throws {@link RequestTarget.Invalid} unless {@code value} is a valid, non-empty authority. */
    static void check(String value) {
        if (value.isEmpty()) throw invalid("the host is empty");
        int portStart;
        if (value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 0) throw invalid("the IPv6 literal in the host is not closed with ']'");
            for (int i = 1; i < close; i++) {
                char c = value.charAt(i);
                if (!(RequestTarget.hex(c) >= 0 || c == ':' || c == '.')) throw invalid("the IPv6 literal in the host is not an address");
            }
            if (close == 1) throw invalid("the IPv6 literal in the host is empty");
            portStart = close + 1;
            if (portStart < value.length() && value.charAt(portStart) != ':') throw invalid("the host has text after its IPv6 literal");
        } else {
            int colon = value.indexOf(':');
            portStart = colon < 0 ? value.length() : colon;
            if (portStart == 0) throw invalid("the host has a port but no name");
            for (int i = 0; i < portStart; i++) {
                if (!isHostNameChar(value.charAt(i))) throw invalid("the host contains a character that no host name has");
            }
        }
        if (portStart < value.length()) {
            // The port read where it stands, without a substring.
            int digits = value.length() - portStart - 1;
            if (digits == 0 || digits > 5) throw invalid("the host's port must be 1 to 5 digits");
            int port = 0;
            for (int i = portStart + 1; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < '0' || c > '9') throw invalid("the host's port must be digits");
                port = port * 10 + (c - '0');
            }
            if (port > 65535) throw invalid("the host's port is above 65535");
        }
    }

    /** The host in lower case without the port (an IPv6 literal keeps its brackets). */
    static String hostWithoutPort(String authority) {
        if (authority.isEmpty()) return "";
        int end;
        if (authority.charAt(0) == '[') end = authority.indexOf(']') + 1;
        else {
            int colon = authority.indexOf(':');
            end = colon < 0 ? authority.length() : colon;
        }
        return authority.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private static RequestTarget.Invalid invalid(String why) {
        return new RequestTarget.Invalid(Rejection.Code.BAD_HOST, why);
    }
}
