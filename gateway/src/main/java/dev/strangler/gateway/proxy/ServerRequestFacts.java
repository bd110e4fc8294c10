package dev.strangler.gateway.proxy;

import dev.strangler.core.http.HeaderField;
import dev.strangler.core.http.Protocol;
import dev.strangler.core.http.RequestCheck;
import dev.strangler.core.http.RequestHead;
import dev.strangler.core.http.RequestRules;
import dev.strangler.core.routing.RequestFacts;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The routing view of a Vert.x request: reads headers in place, copies nothing up front. */
final class ServerRequestFacts implements RequestFacts {
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
        // Not headers().size(): Vert.x's header map counts by collecting the distinct names in a TreeSet.
        List<HeaderField> headers = new ArrayList<>(8);
        request.headers().forEach((name, value) -> headers.add(new HeaderField(name, value)));
        Optional<String> h2Authority = Optional.empty();
        if (protocol == Protocol.HTTP_2 && request.authority() != null) {
            HostAndPort a = request.authority();
            h2Authority = Optional.of(a.port() > 0 ? a.host() + ":" + a.port() : a.host());
        }
        String target = request.uri();
        return new RequestHead(request.method().name(), protocol, target == null ? "" : target, headers, h2Authority);
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

    @Override
    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(request.getHeader(lowerCaseName));
    }

    @Override
    public String clientAddress() {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "" : remote.hostAddress();
    }
}
