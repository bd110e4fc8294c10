package dev.strangler.gateway.proxy;

import dev.strangler.core.http.RequestCheck;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/** A backend's final response head put on the client's response, the same over Vert.x's client and the lean one. */
final class ResponseHead {
    private ResponseHead() {
    }

    /**
     * Puts the backend's response head on the client's response: status, reason, end-to-end headers,
     * the request id, and, when the backend gave no length, chunking for an HTTP/1.1 client or the
     * connection's close for an HTTP/1.0 one, which has no chunked coding (RFC 9112 §6.1, §6.3 rule 8:
     * without it such a client, kept alive, would wait for the end of a body that never comes);
     * {@code Connection: close} then, or when the client asked. Returns whether the client's
     * connection is to be closed after the response.
     *
     * <p>{@code headers} may be the client's {@code response.headers()} itself (the lean client decodes
     * the head straight into it): then the hop-by-hop headers are removed in place, else the
     * end-to-end ones are copied over. {@code connectionLines} counts the {@code Connection} lines of
     * {@code headers} ({@link ProxyHeaders#UNCOUNTED} when nothing counted them); {@code accepted}, the
     * client's request's (whether it asked to close, on any of its lines).
     */
    static boolean relay(HttpServerRequest request, RequestCheck.Accepted accepted, HttpServerResponse response, String requestId,
                         int status, String reason, MultiMap headers, int connectionLines) {
        response.setStatusCode(status);
        // The standard reason is the server's default already; setting it again costs a new status object.
        if (reason != null && !reason.equals(io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase()))
            response.setStatusMessage(reason);
        // Decided on the backend's head as it came, before any header is removed from it.
        boolean lengthUnknown = bodyOfUnknownLength(request, status, headers);
        if (headers == response.headers()) ProxyHeaders.keepEndToEnd(headers, connectionLines);
        else ProxyHeaders.replaceWithEndToEnd(headers, response.headers());
        response.headers().set(ProxyHeaders.REQUEST_ID, requestId);
        boolean close = ProxyHeaders.clientAsksToClose(request, accepted.connectionLines()) || (lengthUnknown && request.version() == HttpVersion.HTTP_1_0);
        if (close) response.headers().set(HttpHeaders.CONNECTION, "close");
        if (lengthUnknown && request.version() == HttpVersion.HTTP_1_1) response.setChunked(true);
        return close;
    }

    /** A response that may carry a body, without a Content-Length from the backend. */
    private static boolean bodyOfUnknownLength(HttpServerRequest request, int status, MultiMap backendHeaders) {
        if (backendHeaders.contains(HttpHeaders.CONTENT_LENGTH)) return false;
        return request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
    }
}
