package dev.strangler.gateway.proxy;

import dev.strangler.core.http.ByteText;
import dev.strangler.core.http.HeaderLines;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own HTTP/1.1 server on one cleartext connection, right behind its {@link FramingGuard}
 * and in front of Vert.x's codec: it serves the plain requests itself, and hands the connection to
 * Vert.x for good at the first request it does not take.
 *
 * <h2>What it takes</h2>
 * A head the guard judged whole and sound ({@link JudgedHead}) of a GET, HEAD, DELETE
 * or OPTIONS in origin form ({@code OPTIONS *} stays Vert.x's), {@code HTTP/1.1}, without
 * {@code Content-Length} (even {@code 0}), {@code Transfer-Encoding}, {@code Upgrade} or {@code Expect},
 * nor an OPTIONS with {@code Max-Forwards} (the gateway edits that header, and these are read-only),
 * without a folded line, and well inside Vert.x's limits for the
 * request line and the head (so Vert.x's 414 and 431 stay Vert.x's). Such a request has no body: the
 * head is all of it. It becomes an {@link OwnRequest} and {@link OwnResponse} handed to the
 * verticle's request handler, the one that serves Vert.x's requests, so one {@link Exchange} serves both.
 *
 * <h2>Order (RFC 9112 §9.3.2)</h2>
 * One request in flight per connection: while a response has not ended, whatever the guard passes on
 * (the next pipelined heads, any other bytes) is queued and the connection is not read further; the
 * next request is taken once the response ended. The first message that is not a request it takes
 * (a body, an upgrade, HTTP/1.0, a refusal's synthetic request, the HTTP/2 preface) goes to Vert.x's
 * codec with everything after it, and from then on the connection is Vert.x's: its responses cannot
 * overtake ours, since it gets its first request only after our last response ended.
 *
 * <h2>Deadlines</h2>
 * The connection's head deadlines are {@link HeadDeadlines}' as on Vert.x's path, kept on this
 * connection while it serves; Vert.x's idle handler sits behind the codec and sees none of this path's
 * bytes, so an idle handler of the same timeouts is put in front of this one ({@link #IDLE}), and
 * Vert.x's idle events are dropped while this path serves ({@link IdleFilter}).
 */
final class OwnConnection extends ChannelInboundHandlerAdapter implements HttpConnection {
    private static final Logger LOG = LoggerFactory.getLogger(OwnConnection.class);
    static final String NAME = "stranglerOwnServer";
    private static final String IDLE = "stranglerIdle";
    private static final String IDLE_FILTER = "stranglerIdleFilter";
    /** Below Vert.x's limits (4,096 bytes of request line, 8,192 of header section): a head near them is Vert.x's to judge. */
    private static final int MAX_REQUEST_LINE = 4_000;
    private static final int MAX_HEAD = 8_000;

    private final OwnServer server;
    private ChannelHandlerContext ctx;
    /** False once the connection was handed to Vert.x: from then on every message passes through. */
    private boolean serving = true;
    private boolean prepared;
    private OwnServer.Loop loop;
    /** This connection's head deadline while this path serves it. */
    private HeadDeadlines.Deadline deadline;
    /** Vert.x's connection on this channel, once Vert.x made one; its head deadline is paused while this path serves. */
    private HttpConnection vertxConnection;
    private OwnResponse current;
    private final ArrayDeque<Object> queued = new ArrayDeque<>(2);
    /** Set while the queue is being taken, so a response that ends at once does not schedule another turn. */
    private boolean taking;
    private boolean turnScheduled;
    private boolean inactive;
    /** A response said the connection closes (RFC 9112 §9.6): nothing read after its request is served. */
    private boolean closing;
    /** The response map, reused by each response in turn (one request in flight). */
    private FlatHeaders responseHeaders;
    private SocketAddress remote;
    private SocketAddress local;
    private Handler<Void> closeHandler;

    OwnConnection(OwnServer server) {
        this.server = server;
    }

    /** The own server of {@code connection}'s channel, or null (none installed, or a TLS connection). */
    static OwnConnection of(io.netty.channel.Channel channel) {
        return channel.pipeline().get(OwnConnection.class);
    }

    /**
     * Vert.x made its connection on this channel: whether its head deadline should be watched now
     * (not while this path serves: Vert.x's connection then sees no request, and its first-head
     * deadline would close a connection busy with ours).
     */
    boolean vertxConnected(HttpConnection connection) {
        vertxConnection = connection;
        return !prepared || !serving;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!serving) {
            ctx.fireChannelRead(unwrapped(msg));
            return;
        }
        if (closing || inactive) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (current != null || !queued.isEmpty()) {
            queued.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        take(msg, false);
    }

    /** Serves {@code msg} when it is a request this path takes, else hands the connection to Vert.x with it. */
    private void take(Object msg, boolean outsideRead) {
        if (msg instanceof JudgedHead head) {
            OwnRequest request = read(head);
            if (request != null && (prepared || prepare())) {
                head.release();
                serve(request);
                return;
            }
        }
        handOver(msg, outsideRead);
    }

    private void serve(OwnRequest request) {
        current = (OwnResponse) request.response();
        FramingGuard guard = ctx.channel().attr(FramingGuard.KEY).get();
        if (guard != null) guard.refusalOfNextRequest(); // counted as Vert.x's requests are; never a refusal (those are Vert.x's)
        loop.deadlines().headArrived(deadline);
        try {
            loop.handler().accept(request);
            request.handed();
        } catch (RuntimeException e) {
            LOG.error("a request on the own server path failed; closing its connection", e);
            ctx.close();
        }
    }

    /**
     * At the first request this path would serve: Vert.x's HTTP/1.1 connection is set up behind this one
     * ({@link EarlyHttp1Codec}: its protocol detector waits for bytes this path takes, and would keep a
     * socket of about 4.7 KB), and the deadlines and idle watch move to this path. Where that set-up
     * cannot be had, nothing moves and this path serves nothing: the request and the connection are
     * Vert.x's, which reads the first request as on its own path (h2c offer included).
     */
    private boolean prepare() {
        prepared = true; // before the set-up: Vert.x's connection handler asks (vertxConnected)
        if (!EarlyHttp1Codec.setUp(ctx.pipeline())) {
            prepared = false;
            return false;
        }
        if (ctx.pipeline().get(GuardedListener.FirstHeadDeadline.class) != null)
            ctx.pipeline().remove(GuardedListener.FirstHeadDeadline.class);
        IdleStateHandler vertxIdle = ctx.pipeline().get(IdleStateHandler.class);
        if (vertxIdle != null) {
            ctx.pipeline().addBefore(NAME, IDLE, new IdleStateHandler(vertxIdle.getReaderIdleTimeInMillis(),
                    vertxIdle.getWriterIdleTimeInMillis(), vertxIdle.getAllIdleTimeInMillis(), TimeUnit.MILLISECONDS));
            String vertxIdleName = ctx.pipeline().context(vertxIdle).name();
            ctx.pipeline().addAfter(vertxIdleName, IDLE_FILTER, new IdleFilter(this));
        }
        deadline = loop.deadlines().connected(this);
        if (vertxConnection != null) loop.deadlines().forget(vertxConnection);
        server.opened(this);
        return true;
    }

    io.netty.channel.EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    /** The server shuts down: close after the response in flight (or at once, or {@code now}). Only while this path serves. */
    void shutdown(boolean now) {
        if (!serving) return;
        closing = true;
        release();
        if (now || current == null) ctx.close();
    }

    /** Whether the connection closes after the response in flight (a shutdown): the response says so. */
    boolean isClosing() {
        return closing;
    }

    /** Whether this path may take a request: a verticle serves this event loop. */
    private boolean hasLoop() {
        if (loop == null) loop = server.loopOf(ctx.channel().eventLoop());
        return loop != null;
    }

    /** From here on, the connection is Vert.x's: {@code msg} and whatever is queued go to its codec, in order. */
    private void handOver(Object msg, boolean outsideRead) {
        serving = false;
        server.closed(this);
        if (prepared) {
            loop.deadlines().forget(this);
            if (vertxConnection != null) loop.deadlines().connected(vertxConnection);
        }
        ctx.channel().config().setAutoRead(true); // before Vert.x reads: it may pause the connection itself
        ctx.fireChannelRead(unwrapped(msg));
        for (Object m; (m = queued.poll()) != null; ) ctx.fireChannelRead(unwrapped(m));
        if (outsideRead) ctx.fireChannelReadComplete(); // lets Vert.x flush what it answers
    }

    private static Object unwrapped(Object msg) {
        return msg instanceof JudgedHead head ? head.content() : msg;
    }

    /**
     * The request {@code judged} is, when this path takes it; null otherwise. Reads the head's lines
     * where the guard's judge found them, in the judge's copy of its bytes, which the request keeps.
     */
    private OwnRequest read(JudgedHead judged) {
        byte[] b = judged.text();
        int n = b.length;
        // Empty lines before the request line (RFC 9112 §2.2): rare, and Vert.x's.
        if (n > MAX_HEAD || judged.requestLineStart() != 0 || !hasLoop()) return null;
        HttpMethod method = methodTaken(b);
        if (method == null) return null;
        int targetStart = method.name().length() + 1;
        int lineEnd = judged.requestLineEnd();
        if (lineEnd > MAX_REQUEST_LINE || lineEnd - targetStart < 10 || !startsWith(b, lineEnd - 9, " HTTP/1.1")) return null;
        int targetEnd = lineEnd - 9;
        for (int i = targetStart; i < targetEnd; i++) if (b[i] == ' ') return null;
        int lines = judged.fieldCount();
        HeaderLines.Builder fields = HeaderLines.builder(lines); // built once: the map and the checks read the same lines
        boolean keepAlive = true;
        for (int line = 0; line < lines; line++) {
            int start = judged.fieldStart(line);
            int colon = judged.colon(line);
            lineEnd = judged.fieldEnd(line);
            if (b[start] == ' ' || b[start] == '\t') return null; // a folded line: Vert.x's decoder joins it
            if (isOneOf(b, start, colon)) return null;
            if (method == HttpMethod.OPTIONS && colon - start == 12 && equalsIgnoreCase(b, start, "max-forwards"))
                return null; // the gateway edits it or answers it (ProxyVerticle); these headers are read-only
            int valueStart = colon + 1;
            while (valueStart < lineEnd && (b[valueStart] == ' ' || b[valueStart] == '\t')) valueStart++;
            int valueEnd = lineEnd;
            while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) valueEnd--;
            ByteText value = new ByteText(b, valueStart, valueEnd);
            fields.add(new ByteText(b, start, colon), value);
            if (colon - start == 10 && equalsIgnoreCase(b, start, "connection") && listsClose(value)) keepAlive = false;
        }
        String uri = new String(b, targetStart, targetEnd - targetStart, StandardCharsets.ISO_8859_1);
        if (responseHeaders == null) responseHeaders = new FlatHeaders();
        else responseHeaders.clear();
        OwnResponse response = new OwnResponse(this, responseHeaders, method, keepAlive);
        return new OwnRequest(this, method, uri, new OwnHeaders(fields.build()), response);
    }

    /** The response in flight ended (its bytes are written): the next queued request may be taken. */
    void responseEnded(OwnResponse response, boolean closing) {
        if (response != current) return;
        current = null;
        if (!closing && !this.closing) loop.deadlines().responseEnded(deadline);
        if (closing) {
            this.closing = true;
            release(); // the connection closes once the response is out: nothing after it is read
            return;
        }
        if (queued.isEmpty()) {
            if (!inactive) ctx.channel().config().setAutoRead(true);
            return;
        }
        if (taking || turnScheduled) return;
        // Not from inside the exchange that just ended: the next request starts on a fresh stack.
        turnScheduled = true;
        ctx.executor().execute(this::takeQueued);
    }

    private void takeQueued() {
        turnScheduled = false;
        taking = true;
        try {
            while (serving && current == null && !inactive && !closing && !queued.isEmpty()) take(queued.poll(), true);
        } finally {
            taking = false;
        }
        if (serving && current == null && queued.isEmpty() && !inactive) ctx.channel().config().setAutoRead(true);
    }

    private void release() {
        for (Object m; (m = queued.poll()) != null; ) ReferenceCountUtil.release(m);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        server.closed(this);
        release();
        if (serving) {
            OwnResponse r = current;
            current = null;
            if (r != null) r.connectionClosed();
            Handler<Void> h = closeHandler;
            if (h != null) h.handle(null);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (serving && current != null && ctx.channel().isWritable()) current.writable();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // This path's idle handler (in front of it): closes as Vert.x's connection would, while this path serves.
            if (serving) ctx.close();
            else ReferenceCountUtil.release(evt);
            return;
        }
        if (evt instanceof ShutdownEvent && serving && prepared) {
            // Vert.x's server shutting down: its connection here (EarlyHttp1Codec) sees none of this path's
            // requests and would close at once, cutting a response in flight. This path closes after that
            // response instead (the drain told it so already); the server still closes every connection
            // left at the drain timeout (GracefulShutdownTest).
            shutdown(false);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (serving && prepared) {
            LOG.debug("own server connection failed: {}", cause.toString());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    /** Drops Vert.x's idle events while the own path serves: Vert.x's idle handler sees none of its bytes. */
    private static final class IdleFilter extends ChannelInboundHandlerAdapter {
        private final OwnConnection own;

        IdleFilter(OwnConnection own) {
            this.own = own;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent && own.serving) return;
            ctx.fireUserEventTriggered(evt);
        }
    }

    // --- what the response writes with

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    ChannelFuture write(ByteBuf bytes) {
        return ctx.write(bytes);
    }

    void flush() {
        ctx.flush();
    }

    boolean isWritable() {
        return ctx.channel().isWritable();
    }

    // --- reading the head in place

    /** The methods this path takes, the most frequent first; each has no body here, since no framing header is taken either. */
    private static final HttpMethod[] TAKEN = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.DELETE, HttpMethod.OPTIONS};

    /** The method of a request line starting {@code METHOD /} (origin form) when this path takes it, else null. */
    private static HttpMethod methodTaken(byte[] b) {
        for (HttpMethod m : TAKEN) {
            String name = m.name();
            int n = name.length();
            if (startsWith(b, 0, name) && b.length > n + 1 && b[n] == ' ' && b[n + 1] == '/') return m;
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int at, String prefix) {
        if (b.length - at < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) if (b[at + i] != prefix.charAt(i)) return false;
        return true;
    }

    private static boolean equalsIgnoreCase(byte[] b, int at, String lowerCase) {
        for (int i = 0; i < lowerCase.length(); i++) {
            int c = b[at + i];
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            if (c != lowerCase.charAt(i)) return false;
        }
        return true;
    }

    /** The names whose requests are not this path's: a body's framing, an upgrade, an expectation. */
    private static boolean isOneOf(byte[] b, int start, int end) {
        int n = end - start;
        return (n == 14 && equalsIgnoreCase(b, start, "content-length")) || (n == 17 && equalsIgnoreCase(b, start, "transfer-encoding"))
                || (n == 7 && equalsIgnoreCase(b, start, "upgrade")) || (n == 6 && equalsIgnoreCase(b, start, "expect"));
    }

    /** Whether a {@code Connection} value lists {@code close} (any case) among its comma-separated tokens. */
    private static boolean listsClose(CharSequence value) {
        int n = value.length();
        for (int from = 0; from < n; ) {
            int comma = from;
            while (comma < n && value.charAt(comma) != ',') comma++;
            int s = from;
            int e = comma;
            while (s < e && value.charAt(s) <= ' ') s++;
            while (e > s && value.charAt(e - 1) <= ' ') e--;
            if (e - s == 5 && value.subSequence(s, e).toString().equalsIgnoreCase("close")) return true;
            from = comma + 1;
        }
        return false;
    }

    // --- HttpConnection: what Exchange, HeadDeadlines and the access log use of it

    @Override
    public Future<Void> close() {
        ctx.close();
        return Future.succeededFuture();
    }

    @Override
    public HttpConnection closeHandler(Handler<Void> handler) {
        closeHandler = handler;
        return this;
    }

    @Override
    public SocketAddress remoteAddress() {
        if (remote == null && ctx.channel().remoteAddress() instanceof InetSocketAddress a) remote = SocketAddress.inetSocketAddress(a);
        return remote;
    }

    @Override
    public SocketAddress remoteAddress(boolean real) {
        return remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        if (local == null && ctx.channel().localAddress() instanceof InetSocketAddress a) local = SocketAddress.inetSocketAddress(a);
        return local;
    }

    @Override
    public SocketAddress localAddress(boolean real) {
        return localAddress();
    }

    @Override
    public boolean isSsl() {
        return false;
    }

    @Override
    public SSLSession sslSession() {
        return null;
    }

    @Override
    public List<Certificate> peerCertificates() {
        return List.of();
    }

    @Override
    public String indicatedServerName() {
        return null;
    }

    @Override
    public HttpConnection exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    private static UnsupportedOperationException http2Only(String what) {
        return new UnsupportedOperationException(what + " is HTTP/2's; the gateway's own server speaks HTTP/1.1");
    }

    @Override
    public HttpConnection goAway(long errorCode, int lastStreamId, Buffer debugData) {
        throw http2Only("goAway");
    }

    @Override
    public HttpConnection goAwayHandler(Handler<GoAway> handler) {
        throw http2Only("goAwayHandler");
    }

    @Override
    public HttpConnection shutdownHandler(Handler<Void> handler) {
        throw http2Only("shutdownHandler");
    }

    @Override
    public Future<Void> shutdown(long timeout, TimeUnit unit) {
        throw http2Only("shutdown");
    }

    @Override
    public Http2Settings settings() {
        throw http2Only("settings");
    }

    @Override
    public Future<Void> updateSettings(Http2Settings settings) {
        throw http2Only("updateSettings");
    }

    @Override
    public Http2Settings remoteSettings() {
        throw http2Only("remoteSettings");
    }

    @Override
    public HttpConnection remoteSettingsHandler(Handler<Http2Settings> handler) {
        throw http2Only("remoteSettingsHandler");
    }

    @Override
    public Future<Buffer> ping(Buffer data) {
        throw http2Only("ping");
    }

    @Override
    public HttpConnection pingHandler(Handler<Buffer> handler) {
        throw http2Only("pingHandler");
    }
}
