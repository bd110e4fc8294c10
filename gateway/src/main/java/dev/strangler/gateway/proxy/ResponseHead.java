package dev.strangler.gateway.proxy;

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
     * the request id, {@code Connection: close} when the client asked, chunking when the length is
     * unknown. Returns whether the client's connection is to be closed after the response.
     */
    static boolean relay(HttpServerRequest request, HttpServerResponse response, String requestId,
                         int status, String reason, MultiMap headers) {
        response.setStatusCode(status);
        // The standard reason is the server's default already; setting it again costs a new status object.
        if (reason != null && !reason.equals(io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase()))
            response.setStatusMessage(reason);
        ProxyHeaders.replaceWithEndToEnd(headers, response.headers());
        response.headers().set(ProxyHeaders.REQUEST_ID, requestId);
        boolean close = ProxyHeaders.clientAsksToClose(request);
        if (close) response.headers().set(HttpHeaders.CONNECTION, "close");
        if (needsChunking(request, status, headers)) response.setChunked(true);
        return close;
    }

    /** HTTP/1.1 without a Content-Length from the backend, for a response that may carry a body. */
    private static boolean needsChunking(HttpServerRequest request, int status, MultiMap backendHeaders) {
        if (request.version() != HttpVersion.HTTP_1_1) return false;
        if (backendHeaders.contains(HttpHeaders.CONTENT_LENGTH)) return false;
        return request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
    }
}
