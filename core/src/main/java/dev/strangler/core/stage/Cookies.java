package dev.strangler.core.stage;

import java.util.Optional;

/** Reads one cookie from a {@code Cookie} request header (RFC 6265 §5.4 form: {@code a=1; b=2}). */
public final class Cookies {
    private Cookies() {}

    public static Optional<String> value(String cookieHeader, String name) {
        int i = 0;
        int n = cookieHeader.length();
        while (i < n) {
            while (i < n && (cookieHeader.charAt(i) == ' ' || cookieHeader.charAt(i) == ';')) i++;
            int end = cookieHeader.indexOf(';', i);
            if (end < 0) end = n;
            int eq = cookieHeader.indexOf('=', i);
            if (eq > 0 && eq < end && cookieHeader.substring(i, eq).trim().equals(name)) {
                String v = cookieHeader.substring(eq + 1, end).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
                return v.isEmpty() ? Optional.empty() : Optional.of(v);
            }
            i = end + 1;
        }
        return Optional.empty();
    }
}
