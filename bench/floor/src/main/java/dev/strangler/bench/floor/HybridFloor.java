package dev.strangler.bench.floor;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.Iterator;
import java.util.Map;

/**
 * The hybrid floor: Vert.x's {@link HttpServer} towards the client (what Strangler's listener needs: TLS,
 * HTTP/2, its framing guard) and the raw Netty {@link BackendPool} towards the backend, on the Netty event
 * loop of the server's Vert.x context, so both sides run on one thread with no hand-off. Measures what
 * replacing only Vert.x's HttpClient with the Netty path would buy.
 *
 * <p>The event loop is reached through Vert.x's internal API ({@link ContextInternal#nettyEventLoop()},
 * {@link VertxInternal#transport()}), which Vert.x may change in any release. A request body is written to
 * the backend as it arrives, without back-pressure: the floors are measured with bodiless GETs.
 */
final class HybridFloor {
    private HybridFloor() {
    }

    static Floor.Running start(Floor.Settings settings, AccessLog log) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        try {
            // One event loop: every context of this Vert.x instance runs on it, the server's included.
            EventLoop loop = ((ContextInternal) vertx.getOrCreateContext()).nettyEventLoop();
            var pool = new BackendPool<HttpObject>(loop, ((VertxInternal) vertx).transport().channelFactory(false), settings.backend(),
                    NettyFloor.MAX_IDLE_BACKEND_CONNECTIONS, BackendPool.HTTP_CODEC);
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(settings.listen().getHostString()).setPort(settings.listen().getPort()))
                    .requestHandler(request -> {
                        if (!loop.inEventLoop()) throw new IllegalStateException("request off the backend pool's event loop");
                        new Exchange(request, pool, log).start();
                    })
                    .listen().await();
            return VertxFloor.running(vertx, server.actualPort());
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** One request: the Vert.x server request written to a backend connection as Netty objects, and back. */
    private static final class Exchange implements BackendPool.Exchange<HttpObject> {
        private final HttpServerRequest request;
        private final HttpServerResponse response;
        private final BackendPool<HttpObject> pool;
        private final AccessLog log;
        private final long startNanos = System.nanoTime();
        private final AsciiString requestId = RequestIds.next();
        private final boolean hasBody;
        private Channel backend;
        private boolean requestComplete;
        private boolean backendKeepAlive;
        private boolean responseStarted;
        private boolean done;
        private int status;

        Exchange(HttpServerRequest request, BackendPool<HttpObject> pool, AccessLog log) {
            this.request = request;
            this.response = request.response();
            this.pool = pool;
            this.log = log;
            this.hasBody = HopByHop.hasBody(request.headers());
        }

        void start() {
            if (hasBody) request.pause();
            response.closeHandler(v -> {
                if (!done && backend != null) pool.release(backend, false);
                done = true;
            });
            pool.acquire(this);
        }

        @Override
        public void onBackendReady(Channel ch) {
            if (done) {
                pool.release(ch, true);
                return;
            }
            backend = ch;
            HttpHeaders headers = endToEnd(request.headers());
            headers.set(RequestIds.HEADER, requestId);
            ch.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method().name()), request.uri(), headers));
            if (!hasBody) {
                requestComplete = true;
                ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            ch.flush();
            request.handler(chunk -> ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk.getBytes()))));
            request.endHandler(v -> {
                requestComplete = true;
                ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            });
            request.resume();
        }

        /**
         * The request's end-to-end headers as Netty headers: the Vert.x server's own when they are Netty's (HTTP/1.x).
         * Transfer-Encoding stays: the body's chunks pass through as Netty objects, and the encoder frames them by it.
         */
        private static HttpHeaders endToEnd(MultiMap from) {
            HttpHeaders headers;
            if (from instanceof HttpHeaders nettyHeaders) {
                headers = nettyHeaders;
            } else {
                headers = new DefaultHttpHeaders();
                for (Map.Entry<String, String> h : from) headers.add(h.getKey(), h.getValue());
            }
            HopByHop.strip(headers);
            return headers;
        }

        @Override
        public void onBackendMessage(HttpObject msg) {
            if (msg instanceof HttpResponse head) {
                status = head.status().code();
                backendKeepAlive = HttpUtil.isKeepAlive(head);
                if (status >= 200) {
                    responseStarted = true;
                    response.setStatusCode(status);
                    var headers = response.headers();
                    String connection = head.headers().get(HttpHeaderNames.CONNECTION);
                    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = head.headers().iteratorCharSequence(); it.hasNext(); ) {
                        var h = it.next();
                        if (!HopByHop.isHopOrFraming(h.getKey()) && !HopByHop.isNamedByConnection(h.getKey(), connection)) {
                            headers.add(h.getKey(), h.getValue());
                        }
                    }
                    headers.set(RequestIds.HEADER, requestId);
                    boolean bodiless = status == 204 || status == 304 || request.method() == io.vertx.core.http.HttpMethod.HEAD;
                    if (!bodiless && !head.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) response.setChunked(true);
                }
            }
            if (msg instanceof HttpContent content) {
                try {
                    if (!responseStarted || done) return; // a 1xx answer's end, or a client already gone
                    boolean last = content instanceof LastHttpContent;
                    var bytes = content.content();
                    if (bytes.isReadable()) {
                        Buffer chunk = Buffer.buffer(ByteBufUtil.getBytes(bytes));
                        if (last) response.end(chunk);
                        else response.write(chunk);
                    } else if (last) {
                        response.end();
                    }
                    if (last) finish();
                } finally {
                    content.release();
                }
            }
        }

        private void finish() {
            done = true;
            VertxFloor.record(log, request, status, response.bytesWritten(), startNanos, requestId);
            pool.release(backend, backendKeepAlive && requestComplete);
            backend = null;
            if (!requestComplete) request.connection().close();
        }

        @Override
        public void onBackendReadComplete() {
            // Vert.x flushes the server's writes at the end of its own read or at once outside one.
        }

        @Override
        public void onBackendFailure(Throwable cause) {
            backend = null;
            if (done) return;
            done = true;
            if (responseStarted) {
                request.connection().close();
            } else {
                VertxFloor.answerBadGateway(log, request, startNanos, requestId);
            }
        }
    }
}
