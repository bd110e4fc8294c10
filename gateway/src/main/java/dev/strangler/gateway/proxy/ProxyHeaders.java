package dev.strangler.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

    /**
     * How many {@code Connection} lines a message has, when nothing counted them: the mechanism then
     * finds them itself, at the cost of a list of them when there is one.
     */
    static final int UNCOUNTED = -1;

    /** Copies end-to-end headers, dropping hop-by-hop ones and those any {@code Connection} line names. */
    static MultiMap endToEnd(MultiMap source, boolean dropHost) {
        MultiMap out = HttpHeaders.headers();
        copyEndToEnd(source, out, dropHost);
        return out;
    }

    /**
     * Adds the end-to-end headers of {@code source} to the map {@code out}, its {@code Connection} lines
     * not counted beforehand (a backend's response over Vert.x's client): the walk drops what the first
     * line names and counts the lines on its way; when there were more (rarely), what the others name is
     * removed from the copy after. So a head with none or one costs no lookup and no list more.
     */
    private static void copyEndToEnd(MultiMap source, MultiMap out, boolean dropHost) {
        int connectionLines = copy(source, namedByConnection(source, 1), out::add, dropHost);
        if (connectionLines < 2) return;
        for (String named : namedByConnection(source, connectionLines)) out.remove(named);
    }

    /**
     * Adds the end-to-end headers of {@code source} to {@code out} (see {@link #endToEnd}): what a
     * sink got cannot be taken back, so every {@code Connection} line is read first, by its count
     * ({@code connectionLines}, or {@link #UNCOUNTED}: a client's request is counted as it is checked,
     * {@code RequestCheck.Accepted#connectionLines}).
     */
    static void copyEndToEnd(MultiMap source, int connectionLines, Sink out, boolean dropHost) {
        copy(source, namedByConnection(source, connectionLines), out, dropHost);
    }

    /**
     * Adds the headers of {@code source} that are neither hop-by-hop nor {@code named}; returns how many
     * {@code Connection} lines it saw.
     *
     * <p>This runs for every header of every request and response, so names are compared without
     * case and without lower-case copies, and a Netty-backed map (HTTP/1.x) is read as the character
     * sequences it holds rather than as new strings.
     */
    private static int copy(MultiMap source, List<String> named, Sink out, boolean dropHost) {
        if (source instanceof OwnHeaders own) { // a head read in place by the own server: its lines as they stand
            int connectionLines = 0;
            for (int i = 0; i < own.count(); i++) {
                CharSequence name = own.name(i);
                if (isEndToEnd(name, named, dropHost)) out.add(name, own.value(i));
                else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaders.CONNECTION)) connectionLines++;
            }
            return connectionLines;
        }
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
        return source.contains(HttpHeaders.CONNECTION) ? source.getAll(HttpHeaders.CONNECTION).size() : 0;
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
     * {@code connectionLines} counts its {@code Connection} lines (the lean client's reader counts
     * them, {@link BackendHead#connectionLines}), or is {@link #UNCOUNTED}.
     */
    static void keepEndToEnd(MultiMap headers, int connectionLines) {
        // Read before Connection itself goes: the names it lists are dropped too.
        List<String> named = namedByConnection(headers, connectionLines);
        if (headers instanceof FlatHeaders flat) { // the own server's response: one pass, not one per name
            if (named.isEmpty()) flat.removeNamed(ProxyHeaders::isHopByHop); // a method reference that captures nothing: no object per call
            else flat.removeNamed(name -> !isEndToEnd(name, named, false));
            return;
        }
        for (String name : named) headers.remove(name);
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
        return isHopByHop(name, 0, name.length());
    }

    /** Whether {@code text[start, end)} is a {@linkplain #isHopByHop(CharSequence) hop-by-hop} name: a token of a {@code Connection} line, read in place. */
    private static boolean isHopByHop(CharSequence text, int start, int end) {
        return switch (end - start) {
            case 2 -> is(text, start, "te");
            case 7 -> is(text, start, "trailer") || is(text, start, "upgrade");
            case 10 -> is(text, start, "connection") || is(text, start, "keep-alive");
            case 14 -> is(text, start, "http2-settings");
            case 16 -> is(text, start, "proxy-connection");
            case 17 -> is(text, start, "transfer-encoding");
            case 18 -> is(text, start, "proxy-authenticate");
            case 19 -> is(text, start, "proxy-authorization");
            default -> false;
        };
    }

    /** Whether {@code text} holds {@code lowerCaseName} (any case) from {@code start}, its length known to match. */
    private static boolean is(CharSequence text, int start, String lowerCaseName) {
        return AsciiString.regionMatches(text, true, start, lowerCaseName, 0, lowerCaseName.length());
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
     * Whether an HTTP/1.x client listed {@code close} among its {@code Connection} tokens, on any of
     * its {@code connectionLines} lines. The server only recognises a bare "close", and a client that
     * asked to close but is kept open waits forever for the end of the stream.
     */
    static boolean clientAsksToClose(io.vertx.core.http.HttpServerRequest request, int connectionLines) {
        return request.version() != io.vertx.core.http.HttpVersion.HTTP_2 && connectionLists(request.headers(), connectionLines, "close");
    }

    /** Whether a {@code Connection} line of {@code headers} lists {@code token} (any case); a single line is read without a list of lines. */
    private static boolean connectionLists(MultiMap headers, int connectionLines, String token) {
        if (connectionLines == 0) return false;
        String first = headers.get(HttpHeaders.CONNECTION);
        if (first == null) return false;
        if (connectionLines == 1) return lists(first, token);
        for (String line : headers.getAll(HttpHeaders.CONNECTION)) if (lists(line, token)) return true;
        return false;
    }

    /** Whether the list {@code line} has {@code token} (any case) among its non-empty elements, each trimmed as {@link String#trim} does. */
    private static boolean lists(String line, String token) {
        for (int from = 0; from < line.length(); ) {
            int comma = line.indexOf(',', from);
            int end = comma < 0 ? line.length() : comma;
            int start = trimmedStart(line, from, end);
            int stop = trimmedEnd(line, start, end);
            if (stop > start && stop - start == token.length() && line.regionMatches(true, start, token, 0, token.length())) return true;
            from = end + 1;
        }
        return false;
    }

    private static int trimmedStart(String line, int from, int end) {
        while (from < end && line.charAt(from) <= ' ') from++;
        return from;
    }

    private static int trimmedEnd(String line, int start, int end) {
        while (end > start && line.charAt(end - 1) <= ' ') end--;
        return end;
    }

    /**
     * The header names the {@code Connection} lines of {@code headers} list (RFC 9110 §7.6.1; several
     * lines are one list, §5.3), every line read, without those {@link #isHopByHop} drops anyway:
     * usually none ({@code keep-alive}, {@code upgrade}) or {@code close}, and then nothing is
     * allocated, and a message is copied with one comparison per header at most. A single line is read without a list of
     * lines: {@code connectionLines} says how many there are, or is {@link #UNCOUNTED}.
     * {@code Content-Length} is never taken as a connection option: it frames this hop's message, which
     * each hop frames for itself, and dropping it lost a response's body over Vert.x's client and sent
     * a request's head without the length of the body that followed (RFC 9110 §7.6.1 forbids listing
     * such a field; NGINX ignores the list altogether).
     */
    private static List<String> namedByConnection(MultiMap headers, int connectionLines) {
        if (connectionLines == 0) return List.of();
        String first = headers.get(HttpHeaders.CONNECTION);
        if (first == null) return List.of();
        if (connectionLines == 1) return addNamedBy(first, List.of());
        List<String> names = List.of();
        for (String line : headers.getAll(HttpHeaders.CONNECTION)) names = addNamedBy(line, names);
        return names;
    }

    /**
     * {@code names} with the names {@code line} lists added, once each (any case); a new list only
     * when there is one beyond {@code close}. That option is a name too (a {@code Close} header is
     * dropped with it; RFC 9110 §18.4 reserves the name), but common enough to cost no list.
     */
    private static List<String> addNamedBy(String line, List<String> names) {
        for (int from = 0; from < line.length(); ) {
            int comma = line.indexOf(',', from);
            int end = comma < 0 ? line.length() : comma;
            int start = trimmedStart(line, from, end);
            int stop = trimmedEnd(line, start, end);
            from = end + 1;
            if (start == stop || isHopByHop(line, start, stop) || (stop - start == 14 && is(line, start, "content-length"))) continue;
            if (isListed(names, line, start, stop)) continue;
            boolean close = stop - start == 5 && is(line, start, "close");
            if (close && names.isEmpty()) {
                names = CLOSE;
                continue;
            }
            if (!(names instanceof ArrayList)) names = new ArrayList<>(names);
            names.add(close ? "close" : line.substring(start, stop));
        }
        return names;
    }

    private static final List<String> CLOSE = List.of("close");

    private static boolean isListed(List<String> names, String line, int start, int stop) {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.length() == stop - start && line.regionMatches(true, start, name, 0, name.length())) return true;
        }
        return false;
    }

    /**
     * The {@code X-Forwarded-For} a backend gets: the client appended to what the request carried
     * ({@code prior}, the first such header), or the client alone.
     */
    static String forwardedFor(String prior, String clientAddress) {
        return prior == null || prior.isBlank() ? clientAddress : prior + ", " + clientAddress;
    }

    /**
     * Whether a {@code Connection} line of {@code headers} (there are {@code connectionLines}) names
     * the end-to-end header {@code name}: then it is not forwarded.
     */
    static boolean isNamedByConnection(MultiMap headers, int connectionLines, String name) {
        return connectionLists(headers, connectionLines, name);
    }
}
