package dev.strangler.gateway.proxy;

import io.netty.handler.codec.DecoderResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpFrame;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.StreamPriority;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.util.Set;

/**
 * A bodiless HTTP/1.1 request (GET, HEAD, DELETE or OPTIONS, origin form) that {@link OwnConnection} read itself, as
 * the {@link HttpServerRequest} that {@link Exchange} serves: the same contract as Vert.x's request,
 * for what the gateway uses of it. It has no body, so its end is delivered as Vert.x delivers a
 * bodiless request's: right after the request handler returned, or at {@link #resume} when it was
 * paused. What the gateway never calls on such a request (forms, uploads, WebSockets, HTTP/2 frames)
 * throws {@link UnsupportedOperationException}.
 */
final class OwnRequest implements HttpServerRequest {
    private final OwnConnection connection;
    private final HttpMethod method;
    private final String uri;
    private final OwnHeaders headers;
    private final OwnResponse response;
    private String path;
    private boolean paused;
    private boolean ended;
    private boolean handed;
    private Handler<Void> endHandler;

    OwnRequest(OwnConnection connection, HttpMethod method, String uri, OwnHeaders headers, OwnResponse response) {
        this.connection = connection;
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.response = response;
    }

    /** The request handler returned: a request that was not paused ends now, as Vert.x's would. */
    void handed() {
        handed = true;
        if (!paused) deliverEnd();
    }

    private void deliverEnd() {
        if (ended) return;
        ended = true;
        Handler<Void> h = endHandler;
        if (h != null) h.handle(null);
    }

    @Override
    public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
        return this; // nothing can fail in a body there is not
    }

    @Override
    public HttpServerRequest handler(Handler<Buffer> handler) {
        return this; // no body: no data ever comes
    }

    @Override
    public HttpServerRequest pause() {
        paused = true;
        return this;
    }

    @Override
    public HttpServerRequest resume() {
        paused = false;
        if (handed) deliverEnd();
        return this;
    }

    @Override
    public HttpServerRequest fetch(long amount) {
        return resume();
    }

    @Override
    public HttpServerRequest endHandler(Handler<Void> handler) {
        endHandler = handler;
        return this;
    }

    @Override
    public HttpVersion version() {
        return HttpVersion.HTTP_1_1;
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String uri() {
        return uri;
    }

    /** As Vert.x's: the target up to its query or fragment. */
    @Override
    public String path() {
        if (path == null) {
            int end = uri.length();
            for (int i = 0; i < uri.length(); i++) {
                char c = uri.charAt(i);
                if (c == '?' || c == '#') {
                    end = i;
                    break;
                }
            }
            path = end == uri.length() ? uri : uri.substring(0, end);
        }
        return path;
    }

    /** As Vert.x's: everything after the first {@code ?}, or null. */
    @Override
    public String query() {
        int q = uri.indexOf('?');
        return q < 0 ? null : uri.substring(q + 1);
    }

    @Override
    public MultiMap headers() {
        return headers;
    }

    OwnHeaders ownHeaders() {
        return headers;
    }

    @Override
    public String getHeader(String name) {
        return headers.get(name);
    }

    @Override
    public String getHeader(CharSequence name) {
        return headers.get(name);
    }

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public HostAndPort authority() {
        String host = headers.get("host");
        return host == null ? null : HostAndPort.parseAuthority(host, -1);
    }

    @Override
    public HostAndPort authority(boolean real) {
        return authority();
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    public HttpServerResponse response() {
        return response;
    }

    @Override
    public boolean isEnded() {
        return ended;
    }

    @Override
    public HttpConnection connection() {
        return connection;
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        return connection.localAddress();
    }

    @Override
    public DecoderResult decoderResult() {
        return DecoderResult.SUCCESS;
    }

    @Override
    public boolean isSSL() {
        return false;
    }

    @Override
    public String absoluteURI() {
        String host = headers.get("host");
        return "http://" + (host == null ? "" : host) + uri;
    }

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " is not supported on a bodiless request read by the gateway's own server");
    }

    @Override
    public HttpServerRequest setParamsCharset(String charset) {
        throw unsupported("setParamsCharset");
    }

    @Override
    public String getParamsCharset() {
        throw unsupported("getParamsCharset");
    }

    @Override
    public MultiMap params(boolean semicolonIsNormalChar) {
        throw unsupported("params");
    }

    @Override
    public Future<Buffer> body() {
        return Future.succeededFuture(Buffer.buffer(0));
    }

    @Override
    public Future<Void> end() {
        return Future.succeededFuture();
    }

    @Override
    public Future<NetSocket> toNetSocket() {
        throw unsupported("toNetSocket");
    }

    @Override
    public HttpServerRequest setExpectMultipart(boolean expect) {
        throw unsupported("setExpectMultipart");
    }

    @Override
    public boolean isExpectMultipart() {
        return false;
    }

    @Override
    public HttpServerRequest uploadHandler(Handler<HttpServerFileUpload> uploadHandler) {
        throw unsupported("uploadHandler");
    }

    @Override
    public MultiMap formAttributes() {
        throw unsupported("formAttributes");
    }

    @Override
    public String getFormAttribute(String attributeName) {
        throw unsupported("getFormAttribute");
    }

    @Override
    public Future<ServerWebSocket> toWebSocket() {
        throw unsupported("toWebSocket");
    }

    @Override
    public HttpServerRequest customFrameHandler(Handler<HttpFrame> handler) {
        throw unsupported("customFrameHandler");
    }

    @Override
    public HttpServerRequest streamPriorityHandler(Handler<StreamPriority> handler) {
        throw unsupported("streamPriorityHandler");
    }

    @Override
    public Cookie getCookie(String name) {
        throw unsupported("getCookie");
    }

    @Override
    public Cookie getCookie(String name, String domain, String path) {
        throw unsupported("getCookie");
    }

    @Override
    public Set<Cookie> cookies(String name) {
        throw unsupported("cookies");
    }

    @Override
    public Set<Cookie> cookies() {
        throw unsupported("cookies");
    }
}
