package dev.strangler.core.routing;

import java.util.ArrayList;
import java.util.List;

/** Splitting and checking of request paths, shared by matching and rewriting so both see the same segments. */
public final class RequestPath {
    private RequestPath() {}

    /** The non-empty segments of a path without its query. */
    public static List<String> segments(String path) {
        List<String> out = new ArrayList<>(8);
        int n = path.length();
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                if (i > start) out.add(path.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /**
     * Whether a request path is one the gateway may route: absolute, and free of dot segments
     * (plain or percent-encoded) that a backend could resolve to a path another route owns.
     */
    public static boolean isRoutable(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') return false;
        int n = path.length();
        int start = 1;
        for (int i = 1; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                if (isDotSegment(path, start, i)) return false;
                start = i + 1;
            }
        }
        return true;
    }

    /**
     * The path as a servlet container reads it: each segment without its {@code ;params} (Tomcat and
     * Jetty drop them before mapping: {@code /app;jsessionid=1/orders} is {@code /app/orders}), and a
     * segment that held only parameters gone, like an empty one. {@code path} itself when it has no
     * {@code ;}.
     */
    public static String withoutParameters(String path) {
        if (path.indexOf(';') < 0) return path;
        StringBuilder read = new StringBuilder(path.length());
        int n = path.length();
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                int semicolon = path.indexOf(';', start);
                int end = semicolon >= 0 && semicolon < i ? semicolon : i;
                if (end > start) read.append('/').append(path, start, end);
                start = i + 1;
            }
        }
        if (read.isEmpty() || path.endsWith("/")) read.append('/');
        return read.toString();
    }

    private static boolean isDotSegment(String path, int from, int to) {
        if (!containsDotOrPercent(path, from, to)) return false; // most segments: judged without a copy
        String s = path.substring(from, to);
        String decoded = s.replace("%2e", ".").replace("%2E", ".");
        // Servlet containers drop path parameters (";jsessionid=..") before resolving dots, so
        // "..;x" reaches a Java backend as "..": judge the segment without them.
        int semicolon = decoded.indexOf(';');
        if (semicolon < 0) semicolon = decoded.toLowerCase(java.util.Locale.ROOT).indexOf("%3b");
        if (semicolon >= 0) decoded = decoded.substring(0, semicolon);
        return decoded.equals(".") || decoded.equals("..");
    }

    private static boolean containsDotOrPercent(String path, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c == '.' || c == '%') return true;
        }
        return false;
    }
}
