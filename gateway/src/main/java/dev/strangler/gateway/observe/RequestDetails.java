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
        SocketAddress peer = request.remoteAddress();
        String address = peer == null ? null : peer.hostAddress();
        return new RequestDetails(query == null ? "" : query, userAgent == null ? "" : userAgent,
                address == null ? "" : address, upstream.connectNanos(), upstream.responseNanos());
    }
}
