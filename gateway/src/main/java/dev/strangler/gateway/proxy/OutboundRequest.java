package dev.strangler.gateway.proxy;

import dev.strangler.core.config.Backend;
import dev.strangler.core.rewrite.HostHeader;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Decision;
import dev.strangler.core.stage.Target;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

/**
 * The request as a backend gets it: path rewritten for the service, hop-by-hop headers dropped
 * (the upgrade pair kept for a tunnel), forwarding headers and the request id added, the framing
 * header that matches how the body will be sent.
 */
final class OutboundRequest {
    private OutboundRequest() {}

    /** Where and with which headers a request for {@code backend} goes: path rewrite, forwarding headers, request id. */
    static RequestOptions options(HttpServerRequest request, Decision decision, Target target, Backend backend,
                                  BackendClients.Endpoint endpoint, String requestId, String path) {
        return new RequestOptions()
                .setMethod(request.method())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(endpoint.ssl())
                .setURI(uri(request, decision, target, endpoint, path))
                .setHeaders(headers(request, decision, target, endpoint, requestId))
                .setConnectTimeout(backend.connectTimeout().toMillis());
    }

    /** The request target at the backend: the endpoint's base path, the (rewritten) path, the query. */
    static String uri(HttpServerRequest request, Decision decision, Target target, BackendClients.Endpoint endpoint, String path) {
        Route route = decision.route().orElse(null);
        return endpoint.basePath() + targetPath(target == Target.SERVICE, route, path) + (request.query() == null ? "" : "?" + request.query());
    }

    /** The headers the backend gets: end-to-end ones, forwarding headers, the request id, the route's edits, Host. */
    static MultiMap headers(HttpServerRequest request, Decision decision, Target target, BackendClients.Endpoint endpoint,
                            String requestId) {
        boolean toService = target == Target.SERVICE;
        Route route = decision.route().orElse(null);
        MultiMap headers = ProxyHeaders.endToEnd(request.headers(), true);
        if (decision.tunnel()) ProxyHeaders.keepUpgrade(request.headers(), headers);
        if (Upload.Framing.of(request) == Upload.Framing.CHUNKED) headers.remove(HttpHeaders.CONTENT_LENGTH);
        HostAndPort authority = request.authority();
        String clientHost = authority == null ? null
                : authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
        String clientAddress = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        ProxyHeaders.addForwarded(headers, clientAddress, request.scheme(), clientHost);
        headers.set(ProxyHeaders.REQUEST_ID, requestId);
        if (toService) ProxyHeaders.apply(route.requestHeaders(), headers);
        boolean serviceHost = toService && route.hostHeader() == HostHeader.SERVICE;
        headers.set(HttpHeaders.HOST, serviceHost || clientHost == null ? endpoint.authority() : clientHost);
        return headers;
    }

    private static String targetPath(boolean toService, Route route, String path) {
        if (!toService || route.rewrite().isEmpty()) return path;
        return route.rewrite().get().apply(route.match().path(), path);
    }
}
