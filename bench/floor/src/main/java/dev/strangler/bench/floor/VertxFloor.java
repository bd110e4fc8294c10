package dev.strangler.bench.floor;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.util.Map;

/**
 * The Vert.x floor: {@link HttpServer} and {@link HttpClient} on one event loop, written as a competent user
 * would, with no tuning beyond the pool size: the request streams to the backend (when it has a body) and
 * the response streams back, hop-by-hop headers dropped and framing left to Vert.x.
 */
final class VertxFloor {
    /** Enough connections for bench/proxy.sh's 50 wrk connections never to queue for one. */
    static final int MAX_BACKEND_CONNECTIONS = 256;

    private VertxFloor() {
    }

    static Floor.Running start(Floor.Settings settings, AccessLog log) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(MAX_BACKEND_CONNECTIONS));
            SocketAddress backend = SocketAddress.inetSocketAddress(settings.backend());
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(settings.listen().getHostString()).setPort(settings.listen().getPort()))
                    .requestHandler(request -> forward(request, client, backend, log))
                    .listen().await();
            return running(vertx, server.actualPort());
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    private static void forward(HttpServerRequest request, HttpClient client, SocketAddress backend, AccessLog log) {
        long start = System.nanoTime();
        CharSequence id = RequestIds.next();
        boolean hasBody = HopByHop.hasBody(request.headers());
        if (hasBody) request.pause();
        client.request(new RequestOptions().setServer(backend).setMethod(request.method()).setURI(request.uri()))
                .compose(toBackend -> {
                    copyEndToEnd(request.headers(), toBackend.headers());
                    toBackend.putHeader(RequestIds.HEADER, id);
                    return hasBody ? toBackend.send(request) : toBackend.send();
                })
                .onComplete(answered -> {
                    if (answered.failed()) {
                        answerBadGateway(log, request, start, id);
                        return;
                    }
                    var response = request.response();
                    HttpClientResponse fromBackend = answered.result();
                    response.setStatusCode(fromBackend.statusCode());
                    copyEndToEnd(fromBackend.headers(), response.headers());
                    response.putHeader(RequestIds.HEADER, id);
                    response.send(fromBackend).onComplete(sent -> record(log, request, fromBackend.statusCode(),
                            response.bytesWritten(), start, id));
                });
    }

    /** The access-log line of a request the Vert.x server received (this floor's and {@link HybridFloor}'s). */
    static void record(AccessLog log, HttpServerRequest request, int status, long bytesSent, long startNanos, CharSequence id) {
        log.record(request.remoteAddress().hostAddress(), request.method().name(), request.uri(), status, bytesSent, startNanos, id);
    }

    /** Answers 502 with the request id, and logs it: the backend could not be reached or broke first. */
    static void answerBadGateway(AccessLog log, HttpServerRequest request, long startNanos, CharSequence id) {
        request.response().setStatusCode(502).putHeader(RequestIds.HEADER, id).end();
        record(log, request, 502, 0, startNanos, id);
    }

    private static void copyEndToEnd(MultiMap from, MultiMap to) {
        String connection = from.get(HttpHeaderNames.CONNECTION);
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            if (!HopByHop.isHopOrFraming(name) && !HopByHop.isNamedByConnection(name, connection)) to.add(name, header.getValue());
        }
    }

    static Floor.Running running(Vertx vertx, int port) {
        return Floor.running(port, vertx.isNativeTransportEnabled() ? "epoll" : "nio", () -> vertx.close().await());
    }
}
