package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.HeaderFields;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaders;
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
 *   <li>A connection serves one {@link LeanCall} at a time; every part of a response read from it goes
 *       to that call, which owns it. The connection's own {@link ResponseReader} reads the responses (not
 *       Netty's decoder: docs/performance.md, "The decision on a Netty-level fast path"). Bytes read with no
 *       call (nothing was asked) close the connection, and so do bytes read beyond a whole response: no later
 *       call takes them for its answer.</li>
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
    /** How long a connection may wait on the idle stack before the pool closes it. */
    static final long KEEP_ALIVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /**
     * The user of a connection; called on the pool's event loop. The parts of the response read for it
     * ({@link ResponseReader.Parts}) are its own: it releases the body's bytes.
     */
    interface LeanCall extends ResponseReader.Parts {
        /** {@code ch} is the call's until it {@link #release releases} it. */
        void connected(Channel ch);

        /** No connection could be opened. */
        void connectFailed(Throwable cause);

        /**
         * The connection broke while the call held it: closed, reset, a read error, a response that
         * cannot be read ({@link MalformedResponseException}), or no byte for the response timeout
         * ({@link TimeoutException}). The connection is closed already.
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
        this.bootstrap = new Bootstrap().group(loop.eventLoop()).channelFactory(loop.channels()).resolver(loop.resolver())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("lean", new Link(new ResponseReader(MAX_INITIAL_LINE, MAX_HEADER_SIZE)));
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
        // A closed connection may have lost its handler already: then there is nothing to keep.
        if (!(ch.pipeline().last() instanceof Link link)) {
            ch.close();
            return;
        }
        link.call = null; // a pending response timer finds no call and lapses (or serves the next call)
        // The call's map is not filled by whatever the connection reads next.
        link.reader.forgetHeaders();
        // Bytes already read beyond the whole response (a body after a HEAD's answer, more than Content-Length) are not
        // the next response: reused, the connection would take them for the head of the next request's answer (as NGINX,
        // which does not keep such an upstream connection either).
        if (link.reader.holdsBytesBeyondTheResponse()) reusable = false;
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
     * and the call hears of it through {@link LeanCall#broke}. The final response head's fields are handed on
     * as {@link HeaderFields} only, in no map (a shadow copy's answer, which is compared, not relayed).
     */
    void send(Channel ch, LeanRequest request, long responseTimeoutMillis) {
        send(ch, request, responseTimeoutMillis, null, true);
    }

    /**
     * As {@link #send(Channel, LeanRequest, long)}, with the final ({@code >= 200}) response head's
     * headers read straight into {@code finalHeaders} (the client's response headers, so they are not
     * stored and validated twice), until the call {@link #release releases} the connection; interim
     * {@code 1xx} heads get maps of their own. Null: a map of its own for every head. {@code keepsFields}: the
     * final head's fields are handed on as {@link HeaderFields} too (the monolith's answer on a shadow route).
     */
    void send(Channel ch, LeanRequest request, long responseTimeoutMillis, HttpHeaders finalHeaders, boolean keepsFields) {
        Link link = link(ch);
        link.reader.expect(request.isHead(), finalHeaders, keepsFields);
        ch.writeAndFlush(request.encode(ch.alloc()), ch.voidPromise());
        link.startTimer(TimeUnit.MILLISECONDS.toNanos(Math.max(1, responseTimeoutMillis)));
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

    /** Open connections (connecting, busy or idle); for tests. */
    int openConnections() {
        return open;
    }

    /** The pipeline is [lean] for the connection's whole life: last() finds it without a search by name. */
    private static Link link(Channel ch) {
        return (Link) ch.pipeline().last();
    }

    /**
     * The only handler of a connection: reads the backend's responses ({@link ResponseReader}), hands their
     * parts to the current call and keeps the response timeout. Bytes read while no call holds the connection
     * (nothing was asked) close it: no later call takes them for its answer.
     */
    private static final class Link extends ChannelInboundHandlerAdapter implements ResponseReader.Listener {
        final ResponseReader reader;
        LeanCall call;
        /** When the connection last went on the idle stack (System.nanoTime). */
        long idleSince;
        private Throwable failure;
        private long timeoutNanos;
        private long lastRead;
        private ScheduledFuture<?> timer;
        private ChannelHandlerContext ctx;

        Link(ResponseReader reader) {
            this.reader = reader;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastRead = System.nanoTime();
            ByteBuf bytes = (ByteBuf) msg;
            if (call == null) { // nothing was asked: stray bytes cannot be matched to a request
                bytes.release();
                ctx.close();
                return;
            }
            if (failure != null) { // closing for a failure: nothing more is read
                bytes.release();
                return;
            }
            reader.read(bytes, this);
        }

        /** Whether the current call is to hear of what was read: none once released, or once closing for a failure. */
        private LeanCall listening() {
            return failure == null ? call : null;
        }

        @Override
        public void interim(int status, HttpHeaders headers) {
            LeanCall current = listening();
            if (current != null) current.interim(status, headers);
        }

        @Override
        public void head(int status, String reason, HttpHeaders headers, HeaderFields fields, int connectionLines, boolean keepAlive) {
            LeanCall current = listening();
            if (current != null) current.head(status, reason, headers, fields, connectionLines, keepAlive);
        }

        @Override
        public void content(ByteBuf bytes, boolean last) {
            LeanCall current = listening();
            if (current != null) current.content(bytes, last);
            else bytes.release(); // the call gave the connection back part way (its client went away): it is closing
        }

        /** The call hears of it as the connection closes ({@link #channelInactive}). */
        @Override
        public void unreadable(MalformedResponseException cause) {
            if (failure == null) failure = cause;
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stopTimer();
            // Closing for a failure of our own (the response timeout, a read error, a malformed response): a body delimited
            // by the close is not whole, it was cut off.
            if (failure == null) reader.closed(this);
            else reader.discard();
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
