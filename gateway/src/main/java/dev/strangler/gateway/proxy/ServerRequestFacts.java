package dev.strangler.gateway.proxy;

import dev.strangler.core.http.HeaderLines;
import dev.strangler.core.http.Protocol;
import dev.strangler.core.http.RequestCheck;
import dev.strangler.core.http.RequestHead;
import dev.strangler.core.http.RequestRules;
import dev.strangler.core.routing.RequestFacts;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** The routing view of a Vert.x request: reads headers in place, copies nothing up front. */
final class ServerRequestFacts implements RequestFacts {
    /** Room for a typical browser or API client's head without growing. */
    private static final int EXPECTED_LINES = 8;
    private final HttpServerRequest request;
    private final RequestCheck.Accepted accepted;
    /** Cut out of the authority when first asked: only routes with a host condition ask. */
    private String hostWithoutPort;

    /** @param accepted the request's check: its normalised path (what routes match and the backend receives) and authority */
    ServerRequestFacts(HttpServerRequest request, RequestCheck.Accepted accepted) {
        this.request = request;
        this.accepted = accepted;
    }

    /** The request as received, for {@link RequestRules}: raw target, every header line, HTTP/2's authority. */
    static RequestHead head(HttpServerRequest request) {
        Protocol protocol = switch (request.version()) {
            case HTTP_1_0 -> Protocol.HTTP_1_0;
            case HTTP_1_1 -> Protocol.HTTP_1_1;
            case HTTP_2 -> Protocol.HTTP_2;
        };
        Optional<String> h2Authority = Optional.empty();
        if (protocol == Protocol.HTTP_2 && request.authority() != null) {
            HostAndPort a = request.authority();
            h2Authority = Optional.of(a.port() > 0 ? a.host() + ":" + a.port() : a.host());
        }
        String target = request.uri();
        return new RequestHead(request.method().name(), protocol, target == null ? "" : target, lines(request.headers()), h2Authority);
    }

    /**
     * Every header line of a request in order, duplicates kept, as the map holds them. An HTTP/1.x
     * request's map is a Netty {@link HttpHeaders} (Vert.x's {@code HeadersMultiMap}): its names and
     * values are taken as the sequences it stores, without a String or an entry object per line. Any
     * other map (HTTP/2's) is read through {@link MultiMap#forEach}, as before.
     */
    static HeaderLines lines(MultiMap headers) {
        if (headers instanceof OwnHeaders own) return own.lines(); // read in place by the own server
        // Not headers.size(): Vert.x's header map counts by collecting the distinct names in a TreeSet.
        HeaderLines.Builder lines = HeaderLines.builder(EXPECTED_LINES);
        if (headers instanceof HttpHeaders netty) {
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = netty.iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> line = it.next();
                lines.add(line.getKey(), line.getValue());
            }
        } else {
            headers.forEach(lines::add);
        }
        return lines.build();
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        return accepted.target().path();
    }

    @Override
    public String hostWithoutPort() {
        if (hostWithoutPort == null) hostWithoutPort = accepted.hostWithoutPort();
        return hostWithoutPort;
    }

    /** The first line's value; for {@code Connection} sent on several lines, all of them as the one list they are (RFC 9110 §5.3). */
    @Override
    public Optional<String> header(String lowerCaseName) {
        // The check counted the lines: a request with none or one (nearly all) costs no list of them.
        if (accepted.connectionLines() > 1 && lowerCaseName.equals("connection"))
            return Optional.of(String.join(", ", request.headers().getAll(lowerCaseName)));
        return Optional.ofNullable(request.getHeader(lowerCaseName));
    }

    @Override
    public String clientAddress() {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "" : remote.hostAddress();
    }
}
