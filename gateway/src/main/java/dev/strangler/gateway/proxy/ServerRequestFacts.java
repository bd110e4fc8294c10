package dev.strangler.gateway.proxy;

import dev.strangler.core.http.HeaderField;
import dev.strangler.core.http.Protocol;
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
    private final String path;
    private final String hostWithoutPort;

    /**
     * @param path            the normalised path (what routes match and the backend receives)
     * @param hostWithoutPort the checked authority's host, from an absolute-form target or {@code Host}
     */
    ServerRequestFacts(HttpServerRequest request, String path, String hostWithoutPort) {
        this.request = request;
        this.path = path;
        this.hostWithoutPort = hostWithoutPort;
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
        return path;
    }

    @Override
    public String hostWithoutPort() {
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
