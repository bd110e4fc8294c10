package dev.strangler.gateway.proxy;

import dev.strangler.core.rewrite.HeaderRules;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Header rules of a proxy (RFC 9110 §7.6): hop-by-hop headers stay on their hop, forwarding headers are added. */
final class ProxyHeaders {
    static final String REQUEST_ID = "X-Request-Id";
    private static final int MAX_REQUEST_ID_LENGTH = 128;

    private ProxyHeaders() {}

    /** Copies end-to-end headers, dropping hop-by-hop ones and those the {@code Connection} header names. */
    static MultiMap endToEnd(MultiMap source, boolean dropHost) {
        MultiMap out = HttpHeaders.headers();
        copyEndToEnd(source, out, dropHost);
        return out;
    }

    /**
     * Adds the end-to-end headers of {@code source} to {@code out} (see {@link #endToEnd}). Names
     * are compared without case and without making lower-case copies of them: this runs for every
     * header of every request and response.
     */
    static void copyEndToEnd(MultiMap source, MultiMap out, boolean dropHost) {
        String connection = source.get(HttpHeaders.CONNECTION);
        Set<String> named = connection == null ? Set.of() : connectionTokens(connection);
        source.forEach((name, value) -> {
            if (isHopByHop(name) || (!named.isEmpty() && named.contains(name.toLowerCase(Locale.ROOT)))) return;
            if (dropHost && name.equalsIgnoreCase("host")) return;
            out.add(name, value);
        });
    }

    /** Makes {@code target} the end-to-end headers of {@code source} (what {@code target.setAll(endToEnd(source))} did, without the copy in between). */
    static void replaceWithEndToEnd(MultiMap source, MultiMap target) {
        target.clear();
        copyEndToEnd(source, target, false);
    }

    /** Connection-specific headers (RFC 9110 §7.6.1), never forwarded in either direction; by length first. */
    static boolean isHopByHop(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("te");
            case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 14 -> name.equalsIgnoreCase("http2-settings");
            case 16 -> name.equalsIgnoreCase("proxy-connection");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            case 18 -> name.equalsIgnoreCase("proxy-authenticate");
            case 19 -> name.equalsIgnoreCase("proxy-authorization");
            default -> false;
        };
    }

    /**
     * Puts back the two hop-by-hop headers an upgrade needs on the next hop ({@code Upgrade} and
     * {@code Connection: Upgrade}, RFC 9110 §7.8); everything else the client's {@code Connection} named stays dropped.
     */
    static void keepUpgrade(MultiMap from, MultiMap to) {
        String upgrade = from.get(HttpHeaders.UPGRADE);
        if (upgrade == null) return;
        to.set(HttpHeaders.UPGRADE, upgrade);
        to.set(HttpHeaders.CONNECTION, "Upgrade");
    }

    /**
     * Whether an HTTP/1.x client listed {@code close} among its {@code Connection} tokens. The
     * server only recognises a bare "close", and a client that asked to close but is kept
     * open waits forever for the end of the stream.
     */
    static boolean clientAsksToClose(io.vertx.core.http.HttpServerRequest request) {
        if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) return false;
        String connection = request.headers().get("Connection");
        return connection != null && connectionTokens(connection).contains("close");
    }

    private static Set<String> connectionTokens(String connection) {
        java.util.HashSet<String> tokens = new java.util.HashSet<>();
        for (String t : connection.split(",")) tokens.add(t.trim().toLowerCase(Locale.ROOT));
        return tokens;
    }

    /** Appends the client to {@code X-Forwarded-For} and states how and where the client reached us. */
    static void addForwarded(MultiMap headers, String clientAddress, String scheme, String host) {
        String prior = headers.get("X-Forwarded-For");
        headers.set("X-Forwarded-For", prior == null || prior.isBlank() ? clientAddress : prior + ", " + clientAddress);
        headers.set("X-Forwarded-Proto", scheme);
        if (host != null && !host.isEmpty()) headers.set("X-Forwarded-Host", host);
    }

    static void apply(HeaderRules rules, MultiMap headers) {
        if (rules.isEmpty()) return;
        for (String name : rules.remove()) headers.remove(name);
        rules.set().forEach(headers::set);
    }

    /** The client's request id when it is a sane token, else a fresh one. */
    static String requestId(String fromClient) {
        if (fromClient != null && !fromClient.isEmpty() && fromClient.length() <= MAX_REQUEST_ID_LENGTH && isPrintableAscii(fromClient))
            return fromClient;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] id = new byte[32];
        hex16(r.nextLong(), id, 0);
        hex16(r.nextLong(), id, 16);
        return new String(id, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
        }
        return true;
    }

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    /** {@code v} as 16 lower-case hex digits, leading zeros included, at {@code out[at..at+16)}. */
    private static void hex16(long v, byte[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX_DIGITS[(int) (v & 0xf)];
            v >>>= 4;
        }
    }
}
