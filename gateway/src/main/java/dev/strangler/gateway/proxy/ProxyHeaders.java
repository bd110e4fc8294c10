package dev.strangler.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/** Header rules of a proxy (RFC 9110 §7.6): hop-by-hop headers stay on their hop, forwarding headers are added. */
final class ProxyHeaders {
    static final String REQUEST_ID = "X-Request-Id";

    private ProxyHeaders() {}

    /** Where header lines go, one by one: a header map, or the bytes of a request head. */
    @FunctionalInterface
    interface Sink {
        void add(CharSequence name, CharSequence value);
    }

    /** Copies end-to-end headers, dropping hop-by-hop ones and those the {@code Connection} header names. */
    static MultiMap endToEnd(MultiMap source, boolean dropHost) {
        MultiMap out = HttpHeaders.headers();
        copyEndToEnd(source, out, dropHost);
        return out;
    }

    /**
     * Adds the end-to-end headers of {@code source} to the map {@code out}, whatever number of
     * {@code Connection} lines {@code source} has: the copy reads the first, and counts them on its
     * way; when there were more (rarely), the names the later ones list are removed from the copy after.
     */
    private static void copyEndToEnd(MultiMap source, MultiMap out, boolean dropHost) {
        if (copyEndToEnd(source, out::add, dropHost) < 2) return;
        for (String named : namedByConnection(connectionList(source))) out.remove(named);
    }

    /**
     * Adds the end-to-end headers of {@code source} to {@code out} (see {@link #endToEnd}), by the
     * names its first {@code Connection} line lists: a source with more than one must have been
     * {@linkplain #foldConnectionLines folded} (a client's request is, when it is accepted), since
     * what went to a sink cannot be taken back. Returns how many {@code Connection} lines it saw.
     *
     * <p>This runs for every header of every request and response, so names are compared without
     * case and without lower-case copies, and a Netty-backed map (HTTP/1.x) is read as the character
     * sequences it holds rather than as new strings.
     */
    static int copyEndToEnd(MultiMap source, Sink out, boolean dropHost) {
        String connection = source.get(HttpHeaders.CONNECTION);
        List<String> named = connection == null ? List.of() : namedByConnection(connection);
        if (source instanceof io.netty.handler.codec.http.HttpHeaders netty) {
            int connectionLines = 0;
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = netty.iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> header = it.next();
                CharSequence name = header.getKey();
                if (isEndToEnd(name, named, dropHost)) out.add(name, header.getValue());
                else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaders.CONNECTION)) connectionLines++;
            }
            return connectionLines;
        }
        source.forEach((name, value) -> {
            if (isEndToEnd(name, named, dropHost)) out.add(name, value);
        });
        // Not Netty's (HTTP/2's, where Connection is not allowed at all): counted apart, allocating only when there is one.
        return connection == null ? 0 : source.getAll(HttpHeaders.CONNECTION).size();
    }

    /**
     * Makes several {@code Connection} lines of {@code headers} the one line they stand for (RFC 9110
     * §5.3: a recipient may combine field lines of one name into a comma-separated list), so every
     * later reader of {@code Connection} — the copy, the upgrade, the client's close — sees every token.
     */
    static void foldConnectionLines(MultiMap headers) {
        headers.set(HttpHeaders.CONNECTION, connectionList(headers));
    }

    /** Every {@code Connection} line of {@code headers} as one list, in order. */
    private static String connectionList(MultiMap headers) {
        return String.join(", ", headers.getAll(HttpHeaders.CONNECTION));
    }

    private static boolean isEndToEnd(CharSequence name, List<String> namedByConnection, boolean dropHost) {
        if (isHopByHop(name) || (dropHost && AsciiString.contentEqualsIgnoreCase(name, "host"))) return false;
        for (int i = 0; i < namedByConnection.size(); i++) {
            if (AsciiString.contentEqualsIgnoreCase(name, namedByConnection.get(i))) return false;
        }
        return true;
    }

    /**
     * Leaves only the end-to-end headers in {@code headers}, in their order: what {@link #copyEndToEnd}
     * would copy from it. For a response head decoded straight into the client's response, so no
     * second map is filled; a head usually has none or two of these names, each removal one lookup.
     * Reads the first {@code Connection} line: the lean client's decoder folds several into one
     * ({@code LeanPool.ResponseDecoder}).
     */
    static void keepEndToEnd(MultiMap headers) {
        String connection = headers.get(HttpHeaders.CONNECTION);
        // Read before Connection itself goes: the names it lists are dropped too.
        if (connection != null) for (String named : namedByConnection(connection)) headers.remove(named);
        for (AsciiString hopByHop : HOP_BY_HOP) headers.remove(hopByHop);
    }

    /** The names {@link #isHopByHop} drops, for removal from a map (ProxyHeadersTest's property keeps the two in step). */
    private static final List<AsciiString> HOP_BY_HOP = List.of(AsciiString.cached("te"), AsciiString.cached("trailer"),
            AsciiString.cached("upgrade"), AsciiString.cached("connection"), AsciiString.cached("keep-alive"),
            AsciiString.cached("http2-settings"), AsciiString.cached("proxy-connection"), AsciiString.cached("transfer-encoding"),
            AsciiString.cached("proxy-authenticate"), AsciiString.cached("proxy-authorization"));

    /** Makes {@code target} the end-to-end headers of {@code source} (what {@code target.setAll(endToEnd(source))} did, without the copy in between). */
    static void replaceWithEndToEnd(MultiMap source, MultiMap target) {
        target.clear();
        copyEndToEnd(source, target, false);
    }

    /** Connection-specific headers (RFC 9110 §7.6.1), never forwarded in either direction; by length first. */
    static boolean isHopByHop(CharSequence name) {
        return switch (name.length()) {
            case 2 -> AsciiString.contentEqualsIgnoreCase(name, "te");
            case 7 -> AsciiString.contentEqualsIgnoreCase(name, "trailer") || AsciiString.contentEqualsIgnoreCase(name, "upgrade");
            case 10 -> AsciiString.contentEqualsIgnoreCase(name, "connection") || AsciiString.contentEqualsIgnoreCase(name, "keep-alive");
            case 14 -> AsciiString.contentEqualsIgnoreCase(name, "http2-settings");
            case 16 -> AsciiString.contentEqualsIgnoreCase(name, "proxy-connection");
            case 17 -> AsciiString.contentEqualsIgnoreCase(name, "transfer-encoding");
            case 18 -> AsciiString.contentEqualsIgnoreCase(name, "proxy-authenticate");
            case 19 -> AsciiString.contentEqualsIgnoreCase(name, "proxy-authorization");
            default -> false;
        };
    }

    /**
     * Puts back the two hop-by-hop headers an upgrade needs on the next hop ({@code Upgrade} and
     * {@code Connection: Upgrade}, RFC 9110 §7.8); everything else the client's {@code Connection} named stays dropped.
     */
    static void keepUpgrade(MultiMap from, BiConsumer<String, String> set) {
        String upgrade = from.get(HttpHeaders.UPGRADE);
        if (upgrade == null) return;
        set.accept(HttpHeaders.UPGRADE.toString(), upgrade);
        set.accept(HttpHeaders.CONNECTION.toString(), "Upgrade");
    }

    /**
     * Whether an HTTP/1.x client listed {@code close} among its {@code Connection} tokens. The
     * server only recognises a bare "close", and a client that asked to close but is kept
     * open waits forever for the end of the stream.
     */
    static boolean clientAsksToClose(io.vertx.core.http.HttpServerRequest request) {
        if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) return false;
        String connection = request.headers().get("Connection");
        if (connection == null) return false;
        for (int from = 0; from <= connection.length(); ) {
            int comma = connection.indexOf(',', from);
            int end = comma < 0 ? connection.length() : comma;
            if (isToken(connection, from, end, "close")) return true;
            from = end + 1;
        }
        return false;
    }

    /** Whether {@code list[from, end)}, trimmed as {@link String#trim} does, is {@code token} (any case). */
    private static boolean isToken(String list, int from, int end, String token) {
        while (from < end && list.charAt(from) <= ' ') from++;
        while (end > from && list.charAt(end - 1) <= ' ') end--;
        return end - from == token.length() && list.regionMatches(true, from, token, 0, token.length());
    }

    /**
     * The header names a {@code Connection} header lists (RFC 9110 §7.6.1), lower-case, without
     * those {@link #isHopByHop} drops anyway: usually none ({@code keep-alive}), so most messages
     * are copied without a per-header lookup. {@code Content-Length} is never taken as a connection
     * option: it frames this hop's message, which each hop frames for itself, and dropping it lost a
     * response's body over Vert.x's client and sent a request's head without the length of the body
     * that followed (RFC 9110 §7.6.1 forbids listing such a field; NGINX ignores the list altogether).
     */
    private static List<String> namedByConnection(String connection) {
        List<String> names = List.of();
        for (String token : connection.split(",")) {
            String name = token.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || isHopByHop(name) || name.equals("content-length")) continue;
            if (names.isEmpty()) names = new ArrayList<>(2);
            names.add(name);
        }
        return names;
    }

    /**
     * The {@code X-Forwarded-For} a backend gets: the client appended to what the request carried
     * ({@code prior}, the first such header), or the client alone.
     */
    static String forwardedFor(String prior, String clientAddress) {
        return prior == null || prior.isBlank() ? clientAddress : prior + ", " + clientAddress;
    }

    /** Whether the {@code Connection} header of {@code headers} names {@code name}: then it is not forwarded. */
    static boolean isNamedByConnection(MultiMap headers, String name) {
        String connection = headers.get(HttpHeaders.CONNECTION);
        if (connection == null) return false;
        for (String named : namedByConnection(connection)) if (named.equalsIgnoreCase(name)) return true;
        return false;
    }
}
