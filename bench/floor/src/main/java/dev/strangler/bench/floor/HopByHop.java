package dev.strangler.bench.floor;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;

/**
 * The header edits every floor makes in both directions: hop-by-hop headers (RFC 9110 7.6.1) stay on their
 * hop. Where the floor re-frames the body itself (Vert.x on either side), Transfer-Encoding goes too and
 * the framing is the sending side's to decide; where Netty objects pass through, it stays and keeps the
 * body's framing.
 */
final class HopByHop {
    private HopByHop() {
    }

    /** Removes Connection (and the headers it names), Keep-Alive, Proxy-Connection, TE, Trailer and Upgrade. */
    static void strip(HttpHeaders headers) {
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            for (String named : connection.split(",")) {
                String name = named.strip();
                if (!name.isEmpty() && !name.equalsIgnoreCase("close") && !name.equalsIgnoreCase("keep-alive")) headers.remove(name);
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRAILER);
        headers.remove(HttpHeaderNames.UPGRADE);
    }

    /** Whether {@code name} is a hop-by-hop header or Transfer-Encoding, which a re-framing copy leaves out. */
    static boolean isHopOrFraming(CharSequence name) {
        return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.KEEP_ALIVE)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.PROXY_CONNECTION)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TE)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRAILER)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.UPGRADE);
    }

    /**
     * Whether a Connection header's value ({@code connection}, null when there is none) lists {@code name}, so that
     * header stays on its hop. Content-Length never does: it frames each hop's message. Allocates nothing.
     */
    static boolean isNamedByConnection(CharSequence name, String connection) {
        if (connection == null || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONTENT_LENGTH)) return false;
        int from = 0;
        while (from < connection.length()) {
            int comma = connection.indexOf(',', from);
            if (comma < 0) comma = connection.length();
            int start = from;
            int end = comma;
            while (start < end && connection.charAt(start) <= ' ') start++;
            while (end > start && connection.charAt(end - 1) <= ' ') end--;
            if (end - start == name.length() && AsciiString.regionMatches(connection, true, start, name, 0, end - start)) return true;
            from = comma + 1;
        }
        return false;
    }

    /** Whether a request with these headers carries a body (Content-Length or Transfer-Encoding present). */
    static boolean hasBody(MultiMap headers) {
        return headers.contains(HttpHeaderNames.CONTENT_LENGTH) || headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
    }
}
