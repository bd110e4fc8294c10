package dev.strangler.gateway.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keep-alive HTTP/1.1 connections to one backend endpoint (host:port), opened on one event loop and
 * used only from it: the lean backend client, which carries bodiless requests without Vert.x's
 * HttpClient (see {@link LeanRelay} and docs/performance.md, "Lean backend client").
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A connection serves one {@link LeanCall} at a time; every response object read from it goes
 *       to that call, which owns it. A response read with no call (nothing was asked) closes the connection,
 *       and so do bytes read beyond a whole response or while idle: no later call takes them for its answer.</li>
 *   <li>{@link #release} with {@code reusable} is only called after a complete response on a
 *       keep-alive connection; the connection then goes to the oldest waiting call or on top of the
 *       idle stack (last in, first out: the warm connections stay warm). Any other release closes it.</li>
 *   <li>At most {@code maxConnections} are open (connecting, busy or idle) per endpoint and per
 *       event loop, so with N event loops a backend may see N × {@code max-connections} from this
 *       path. Calls beyond that wait, in order, for a released or closed connection, at most the
 *       backend's {@code connect-timeout} (then they fail as a connect timeout, as on Vert.x's pool);
 *       a call that must not wait ({@link #acquireWithoutWaiting}, a shadow copy) is refused instead.</li>
 *   <li>An idle connection the backend closes is dropped; one idle for {@link #KEEP_ALIVE_TIMEOUT_NANOS}
 *       is closed by the pool (Vert.x HttpClient's default keep-alive timeout, 60 s), so a quiet route
 *       does not hold a backend's connections for ever. Once {@link #retire retired} (a reload
 *       dropped the backend), idle connections are closed and released ones are not kept.</li>
 * </ul>
 */
final class LeanPool {
    /** Vert.x HttpClient's defaults, so a head the Vert.x path reads is read here too. */
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 8192;
    private static final int MAX_CHUNK_SIZE = 8192;
    /** How long a connection may wait on the idle stack before the pool closes it. */
    static final long KEEP_ALIVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** The user of a connection; called on the pool's event loop. */
    interface LeanCall {
        /** {@code ch} is the call's until it {@link #release releases} it. */
        void connected(Channel ch);

        /** No connection could be opened. */
        void connectFailed(Throwable cause);

        /** A response object (head, content, last content) read for this call; the call owns it. */
        void read(HttpObject message);

        /**
         * The connection broke while the call held it: closed, reset, a read error, or no byte for
         * the response timeout ({@link TimeoutException}). The connection is closed already.
         */
        void broke(Throwable cause);
    }

    private final LeanLoop loop;
    private final InetSocketAddress address;
    private final int maxConnections;
    private final Bootstrap bootstrap;
    /** Newest first, so the oldest (last) are the ones to close; each link knows since when it is idle. */
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private final long connectTimeoutMillis;
    private final long keepAliveTimeoutNanos;
    private ScheduledFuture<?> sweep;
    private int open;
    private boolean retired;

    LeanPool(LeanLoop loop, String host, int port, int maxConnections, long connectTimeoutMillis) {
        this(loop, host, port, maxConnections, connectTimeoutMillis, KEEP_ALIVE_TIMEOUT_NANOS);
    }

    LeanPool(LeanLoop loop, String host, int port, int maxConnections, long connectTimeoutMillis, long keepAliveTimeoutNanos) {
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
        this.keepAliveTimeoutNanos = keepAliveTimeoutNanos;
        this.loop = loop;
        this.address = InetSocketAddress.createUnresolved(host, port);
        this.maxConnections = maxConnections;
        this.connectTimeoutMillis = connectTimeoutMillis;
        HttpDecoderConfig decoder = new HttpDecoderConfig().setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE).setMaxChunkSize(MAX_CHUNK_SIZE).setHeadersFactory(NettyBridge.HEADERS)
                // Every response's last content gets a trailer map; Vert.x's allocates nothing until a trailer is added.
                .setTrailersFactory(NettyBridge.HEADERS);
        this.bootstrap = new Bootstrap().group(loop.eventLoop()).channelFactory(loop.channels()).resolver(loop.resolver())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("decoder", new ResponseDecoder(decoder)).addLast("lean", new Link());
                    }
                });
    }

    /** Whether the calling thread is this pool's event loop: the only one that may use it. */
    boolean inEventLoop() {
        return loop.eventLoop().inEventLoop();
    }

    /** Gives {@code call} a connection: an idle one at once, a new one once connected, or a released one later. */
    void acquire(LeanCall call) {
        if (!acquireWithoutWaiting(call)) waitFor(call);
    }

    /**
     * Gives {@code call} an idle connection at once or a new one once connected; returns false, and
     * leaves {@code call} untold, when all {@code maxConnections} are in use. For shadow copies: a copy
     * that waited for a connection would fail as a connect timeout after {@code connect-timeout}, and
     * be read as the service being unreachable, when the service is only busy with other copies.
     */
    boolean acquireWithoutWaiting(LeanCall call) {
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            if (ch.isActive()) {
                hand(ch, call);
                return true;
            }
        }
        if (open >= maxConnections) return false;
        connect(call);
        return true;
    }

    /** A call waiting for a connection, given up after the connect timeout as Vert.x's pool does. */
    private record Waiter(LeanCall call, ScheduledFuture<?> deadline) {}

    private void waitFor(LeanCall call) {
        Waiter[] self = new Waiter[1];
        ScheduledFuture<?> deadline = loop.eventLoop().schedule(() -> {
            if (waiting.remove(self[0]))
                call.connectFailed(new ConnectTimeoutException("no connection free within " + connectTimeoutMillis + " ms (max-connections "
                        + maxConnections + " in use)"));
        }, Math.max(1, connectTimeoutMillis), TimeUnit.MILLISECONDS);
        self[0] = new Waiter(call, deadline);
        waiting.addLast(self[0]);
    }

    /** The oldest waiting call, its deadline cancelled; null when none waits. */
    private LeanCall nextWaiting() {
        Waiter w = waiting.pollFirst();
        if (w == null) return null;
        w.deadline().cancel(false);
        return w.call();
    }

    private void connect(LeanCall call) {
        open++;
        ChannelFuture connecting = bootstrap.connect(address);
        Channel ch = connecting.channel();
        // A failed connect closes the channel too, so every opened channel is counted down exactly once.
        ch.closeFuture().addListener(f -> closed(ch));
        connecting.addListener(f -> {
            if (f.isSuccess()) hand(ch, call);
            else call.connectFailed(f.cause());
        });
    }

    private void hand(Channel ch, LeanCall call) {
        link(ch).call = call;
        call.connected(ch);
    }

    /**
     * Ends the current call on {@code ch}. Reusable only after a complete response on a keep-alive
     * connection; then it serves the next waiting call or waits on the idle stack, else it is closed.
     */
    void release(Channel ch, boolean reusable) {
        Link link = link(ch);
        link.call = null; // a pending response timer finds no call and lapses (or serves the next call)
        // The call's map is not filled by whatever the connection reads next (a closing one may have lost its decoder).
        ResponseDecoder decoder = ch.pipeline().first() instanceof ResponseDecoder d ? d : null;
        if (decoder != null) decoder.finalHeaders = null;
        // Bytes already read beyond the whole response (a body after a HEAD's answer, more than Content-Length) are not
        // the next response: reused, the connection would take them for the head of the next request's answer (as NGINX,
        // which does not keep such an upstream connection either).
        if (decoder != null && decoder.hasBytesBeyondTheResponse()) reusable = false;
        if (!reusable || retired || !ch.isActive()) {
            ch.close();
            return;
        }
        ch.config().setAutoRead(true);
        LeanCall next = nextWaiting();
        if (next != null) {
            hand(ch, next);
        } else {
            link.idleSince = System.nanoTime();
            idle.addFirst(ch);
            if (sweep == null) sweep = loop.eventLoop().schedule(this::closeLongIdle, keepAliveTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes the connections idle for the keep-alive timeout; runs again while any stay idle. */
    private void closeLongIdle() {
        sweep = null;
        long now = System.nanoTime();
        Channel oldest;
        while ((oldest = idle.peekLast()) != null && now - link(oldest).idleSince >= keepAliveTimeoutNanos) {
            idle.pollLast();
            oldest.close();
        }
        if (oldest != null) {
            sweep = loop.eventLoop().schedule(this::closeLongIdle, link(oldest).idleSince + keepAliveTimeoutNanos - now, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Writes the call's whole request on {@code ch} and starts its response timeout, which fires
     * after {@code responseTimeoutMillis} without a byte read. A write failure closes the connection,
     * and the call hears of it through {@link LeanCall#broke}. The response head is read into a map of its own.
     */
    void send(Channel ch, LeanRequest request, long responseTimeoutMillis) {
        send(ch, request, responseTimeoutMillis, null);
    }

    /**
     * As {@link #send(Channel, LeanRequest, long)}, with the final ({@code >= 200}) response head's
     * headers read straight into {@code finalHeaders} (the client's response headers, so they are not
     * stored and validated twice), until the call {@link #release releases} the connection; interim
     * {@code 1xx} heads get maps of their own. Null: a map of its own for every head.
     */
    void send(Channel ch, LeanRequest request, long responseTimeoutMillis, HttpHeaders finalHeaders) {
        // The pipeline is [decoder, lean] for the connection's whole life: first() and last() find them without a search by name.
        ResponseDecoder decoder = (ResponseDecoder) ch.pipeline().first();
        decoder.answersHead = request.isHead();
        decoder.finalHeaders = finalHeaders;
        ch.writeAndFlush(request.encode(ch.alloc()), ch.voidPromise());
        link(ch).startTimer(TimeUnit.MILLISECONDS.toNanos(Math.max(1, responseTimeoutMillis)));
    }

    /** The backend of this pool was dropped by a reload: idle connections close now, busy ones when released. */
    void retire() {
        retired = true;
        Channel ch;
        while ((ch = idle.pollFirst()) != null) ch.close();
    }

    private void closed(Channel ch) {
        open--;
        idle.remove(ch);
        if (!retired && open < maxConnections && !waiting.isEmpty()) connect(nextWaiting());
    }

    /**
     * How many {@code Connection} lines a response head read from a connection of this pool has, or
     * {@link ProxyHeaders#UNCOUNTED} for a head read into a map of its own (interim, or an uncommon version).
     */
    static int connectionLinesOf(HttpResponse head) {
        return head instanceof CountedHead counted ? counted.connectionLines : ProxyHeaders.UNCOUNTED;
    }

    /** A final response head with its {@code Connection} lines counted by the decoder. */
    private static final class CountedHead extends DefaultHttpResponse {
        int connectionLines;

        CountedHead(HttpVersion version, HttpResponseStatus status, HttpHeaders headers) {
            super(version, status, headers);
        }
    }

    /** Open connections (connecting, busy or idle); for tests. */
    int openConnections() {
        return open;
    }

    private static Link link(Channel ch) {
        return (Link) ch.pipeline().last();
    }

    /**
     * Netty's response decoder, told whether the response answers a HEAD (then it has no body
     * whatever its Content-Length says). Netty's {@code HttpClientCodec} keeps that in a queue of
     * methods that an interim {@code 1xx} response also takes from, so a HEAD answered after a
     * {@code 103} would be read as having a body; one request at a time needs no queue.
     *
     * <p>Told too where the final head's headers go ({@link #send(Channel, LeanRequest, long, HttpHeaders)}).
     *
     * <p>A final head read over {@link #finalHeaders} is a {@link CountedHead}: its {@code Connection}
     * lines are counted as the decoder splits each header's name, so the relay reads every one of them
     * and a head with none or one costs no lookup or list more ({@link ProxyHeaders#keepEndToEnd}).
     */
    private static final class ResponseDecoder extends HttpResponseDecoder {
        boolean answersHead;
        /** The map the final response head is read into; null: a new one, as Netty does. */
        HttpHeaders finalHeaders;
        /** The counted head being read; null while another is. */
        private CountedHead reading;

        ResponseDecoder(HttpDecoderConfig config) {
            super(config);
        }

        /** Whether bytes are waiting to be decoded: called once a response was read whole, they are none of it. */
        boolean hasBytesBeyondTheResponse() {
            return actualReadableBytes() > 0;
        }

        /** Counts the head's {@code Connection} lines as their names are split. */
        @Override
        protected AsciiString splitHeaderName(byte[] line, int start, int length) {
            AsciiString name = super.splitHeaderName(line, start, length);
            if (reading != null && name.contentEqualsIgnoreCase(HttpHeaderNames.CONNECTION)) reading.connectionLines++;
            return name;
        }

        /**
         * Netty's own message for an interim head or an uncommon version (its stricter version parser
         * decides those, and what it fails); a final {@code HTTP/1.1} or {@code HTTP/1.0} head over
         * {@link #finalHeaders}, with the status parsed as Netty parses it.
         */
        @Override
        protected HttpMessage createMessage(String[] initialLine) {
            reading = null;
            HttpHeaders target = finalHeaders;
            HttpVersion version = commonVersion(initialLine[0]);
            if (target == null || version == null) return super.createMessage(initialLine);
            HttpResponseStatus status = HttpResponseStatus.valueOf(Integer.parseInt(initialLine[1]), initialLine[2]);
            if (status.code() < 200) return new DefaultHttpResponse(version, status, headersFactory);
            return reading = new CountedHead(version, status, target);
        }

        private static HttpVersion commonVersion(String text) {
            if (text.equals("HTTP/1.1")) return HttpVersion.HTTP_1_1;
            if (text.equals("HTTP/1.0")) return HttpVersion.HTTP_1_0;
            return null;
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage message) {
            int status = ((HttpResponse) message).status().code();
            if (status >= 200 && answersHead) return true;
            return super.isContentAlwaysEmpty(message);
        }
    }

    /** The last handler of a connection: hands what it reads to the current call and keeps the response timeout. */
    private static final class Link extends ChannelInboundHandlerAdapter {
        LeanCall call;
        /** When the connection last went on the idle stack (System.nanoTime). */
        long idleSince;
        private Throwable failure;
        private long timeoutNanos;
        private long lastRead;
        private ScheduledFuture<?> timer;
        private ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastRead = System.nanoTime();
            LeanCall current = call;
            if (current == null) { // nothing was asked: a stray response cannot be matched to a request
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            if (failure != null) {
                // Closing for a failure of our own (the response timeout, a read error): what the decoder
                // still hands over as the connection closes is not the backend's doing. A body delimited
                // by the close would otherwise get its last content here and be relayed as whole, and a
                // head cut off by the timeout would be reported as the backend's malformed response.
                ReferenceCountUtil.release(msg);
                return;
            }
            current.read((HttpObject) msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // Bytes read while no call holds the connection that decode as no message yet (a late body for a HEAD's
            // answer): the next call would take them for the head of its answer, so the connection is not kept.
            if (call == null && ctx.pipeline().first() instanceof ResponseDecoder decoder && decoder.hasBytesBeyondTheResponse()) {
                ctx.close();
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stopTimer();
            LeanCall broken = call;
            call = null;
            if (broken != null) broken.broke(failure != null ? failure : new IOException("backend closed the connection"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) failure = cause;
            ctx.close(); // channelInactive tells the call
        }

        /**
         * Starts the response timeout of a new call. A timer still pending from an earlier call on
         * this connection is kept: when it fires it re-arms itself for the time left, so a busy
         * keep-alive connection schedules about one task per timeout period rather than one per request.
         */
        void startTimer(long nanos) {
            timeoutNanos = nanos;
            lastRead = System.nanoTime();
            if (timer == null) timer = ctx.executor().schedule(this::checkIdle, nanos, TimeUnit.NANOSECONDS);
        }

        /** The connection is closing: its timer has nothing more to watch. */
        void stopTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        /** Re-armed for the time left rather than reset on every read (as Netty's IdleStateHandler does). */
        private void checkIdle() {
            timer = null;
            if (call == null) return;
            long now = System.nanoTime();
            // While the client's slowness keeps us from reading, the backend is not idle.
            if (!ctx.channel().config().isAutoRead()) lastRead = now;
            long idleFor = now - lastRead;
            if (idleFor < timeoutNanos) {
                timer = ctx.executor().schedule(this::checkIdle, timeoutNanos - idleFor, TimeUnit.NANOSECONDS);
                return;
            }
            if (failure == null) failure = new TimeoutException("no response bytes for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            ctx.close();
        }
    }
}
