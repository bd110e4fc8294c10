package dev.strangler.bench.floor;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One client connection of the Netty floor: the decoded request objects go to a backend connection and the
 * response objects come back, with the header edits and nothing else.
 *
 * <p>One exchange at a time per client connection. Objects of a later request that arrive while one is in
 * flight (a pipelining client) wait in {@code queued} and reading stops until the response is out; then
 * they are replayed in order. Objects of the current request that arrive before the backend connection is
 * ready wait in {@code toBackend}. The backend connection goes back to the pool only when both the request
 * and the response were complete and the backend kept the connection alive; the client connection stays
 * open unless the client asked to close it or the backend answered before the request body ended.
 */
final class Relay extends ClientRelay<HttpObject> {
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private final ArrayDeque<HttpObject> toBackend = new ArrayDeque<>();

    // The exchange in flight (inFlight) and what is known of it.
    private boolean inFlight;
    private boolean requestComplete;
    private boolean responseStarted;
    private boolean interim;
    private boolean clientKeepAlive;
    private boolean clientHttp10;
    private boolean backendKeepAlive;
    private AsciiString requestId;
    private String method;
    private String uri;
    private long startNanos;
    private int status;
    private long bytesSent;

    Relay(BackendPool<HttpObject> pool, AccessLog log) {
        super(pool, log);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (inFlight && requestComplete) {
            queued.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        fromClient(msg);
    }

    private void fromClient(Object msg) {
        if (msg instanceof HttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                ReferenceCountUtil.release(msg);
                answerAndClose(HttpResponseStatus.BAD_REQUEST);
                return;
            }
            begin(request);
        }
        if (msg instanceof HttpContent content) {
            if (!inFlight) { // the rest of a request whose answer is already out
                content.release();
                return;
            }
            if (content instanceof LastHttpContent) requestComplete = true;
            if (backend != null) backend.write(content);
            else toBackend.add(content);
        }
    }

    private void begin(HttpRequest request) {
        inFlight = true;
        requestComplete = false;
        responseStarted = false;
        interim = false;
        startNanos = System.nanoTime();
        requestId = RequestIds.next();
        method = request.method().name();
        uri = request.uri();
        status = 0;
        bytesSent = 0;
        clientKeepAlive = HttpUtil.isKeepAlive(request);
        clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        HopByHop.strip(request.headers());
        request.headers().set(RequestIds.HEADER, requestId);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        toBackend.add(request);
        pool.acquire(this);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (backend != null) backend.flush();
    }

    @Override
    public void onBackendReady(Channel ch) {
        if (!inFlight) { // the client left while connecting
            pool.release(ch, true);
            return;
        }
        backend = ch;
        HttpObject o;
        while ((o = toBackend.poll()) != null) ch.write(o);
        ch.flush();
        backend.config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void onBackendMessage(HttpObject msg) {
        if (msg instanceof HttpResponse response) {
            status = response.status().code();
            interim = status < 200;
            responseStarted = true;
            backendKeepAlive = HttpUtil.isKeepAlive(response);
            HopByHop.strip(response.headers());
            response.headers().set(RequestIds.HEADER, requestId);
            if (!clientKeepAlive) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            else if (clientHttp10) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (msg instanceof HttpContent content) {
            bytesSent += content.content().readableBytes();
            if (content instanceof LastHttpContent && !interim) {
                ctx.writeAndFlush(msg);
                finish();
                return;
            }
            if (content instanceof LastHttpContent) interim = false; // a 1xx head ended: the real answer follows
        }
        ctx.write(msg);
    }

    @Override
    public void onBackendReadComplete() {
        ctx.flush();
    }

    @Override
    public void onBackendFailure(Throwable cause) {
        backend = null;
        releaseAll(toBackend);
        if (!inFlight) return;
        inFlight = false;
        if (responseStarted) ctx.close();
        else answerAndClose(HttpResponseStatus.BAD_GATEWAY);
    }

    private void finish() {
        log.record(client, method, uri, status, bytesSent, startNanos, requestId);
        inFlight = false;
        pool.release(backend, backendKeepAlive && requestComplete);
        backend = null;
        if (!clientKeepAlive || !requestComplete) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        while (!queued.isEmpty() && !(inFlight && requestComplete)) fromClient(queued.poll());
        if (queued.isEmpty()) {
            ctx.channel().config().setAutoRead(true);
            if (backend != null) backend.flush();
        }
    }

    private void answerAndClose(HttpResponseStatus answer) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (requestId != null) response.headers().set(RequestIds.HEADER, requestId);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (backend != null) pool.release(backend, false);
        backend = null;
        inFlight = false;
        releaseAll(toBackend);
        releaseAll(queued);
        ctx.fireChannelInactive();
    }

    /** Releases and forgets the objects waiting in {@code waiting}: nobody will write them now. */
    private static void releaseAll(ArrayDeque<?> waiting) {
        Object o;
        while ((o = waiting.poll()) != null) ReferenceCountUtil.release(o);
    }
}
