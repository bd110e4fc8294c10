package dev.strangler.gateway.proxy;

import dev.strangler.core.routing.RequestFacts;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

import java.util.Locale;
import java.util.Optional;

/** The routing view of a Vert.x request: reads headers in place, copies nothing up front. */
final class ServerRequestFacts implements RequestFacts {
    private final HttpServerRequest request;
    private final String path;

    ServerRequestFacts(HttpServerRequest request, String path) {
        this.request = request;
        this.path = path;
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
        HostAndPort authority = request.authority();
        return authority == null ? "" : authority.host().toLowerCase(Locale.ROOT);
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
