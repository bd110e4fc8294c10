package dev.strangler.gateway.observe;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.Objects;

/**
 * What the access log tells about a request beyond its {@link Outcome}: taken as the exchange
 * finishes (a few field reads, no parsing: the query is redacted later, off the event loop).
 *
 * @param query               the raw query string, without {@code ?}; empty when there is none
 * @param userAgent           the {@code User-Agent} header; empty when absent
 * @param clientAddress       the peer's address as the gateway saw it; empty when unknown
 * @param upstreamConnectNanos  from the answering attempt's start to its backend connection, or -1 when unknown
 * @param upstreamResponseNanos from the answering attempt's start to the backend's response head, or -1 when unknown
 */
public record RequestDetails(String query, String userAgent, String clientAddress,
                             long upstreamConnectNanos, long upstreamResponseNanos) {
    /** For outcomes that carry no details (requests refused before any backend was tried, tests). */
    public static final RequestDetails NONE = new RequestDetails("", "", "", -1, -1);

    public RequestDetails {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(clientAddress, "clientAddress");
    }

    /** The details of a request at its end; {@code upstream} as the exchange recorded it. */
    public static RequestDetails of(HttpServerRequest request, UpstreamTiming upstream) {
        String query = request.query();
        String userAgent = request.getHeader(HttpHeaders.USER_AGENT);
        return new RequestDetails(query == null ? "" : query, userAgent == null ? "" : userAgent,
                addressOf(request.remoteAddress()), upstream.connectNanos(), upstream.responseNanos());
    }

    /** A peer's address and its text. */
    private record Peer(SocketAddress address, String text) {
    }

    /**
     * The text of recently seen peers, by the identity of their address. Vert.x hands every request
     * of a connection the same immutable {@link SocketAddress}, whose {@code hostAddress()} formats a
     * new string on each call; this formats it once per connection instead. Direct-mapped and shared
     * by the event loops without a lock: an entry is immutable, so a racing loop sees a whole entry or
     * another one, and an overwritten entry only costs formatting the text again.
     */
    private static final Peer[] PEERS = new Peer[256];

    /** The peer's address as text, or empty when unknown (no address, or a domain socket); also the proxy's X-Forwarded-For. */
    public static String addressOf(SocketAddress peer) {
        if (peer == null) return "";
        int slot = System.identityHashCode(peer) & (PEERS.length - 1);
        Peer known = PEERS[slot];
        if (known != null && known.address() == peer) return known.text();
        String address = peer.hostAddress();
        Peer formatted = new Peer(peer, address == null ? "" : address);
        PEERS[slot] = formatted;
        return formatted.text();
    }
}
