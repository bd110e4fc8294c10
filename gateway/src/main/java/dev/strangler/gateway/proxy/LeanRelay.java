package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.HeaderFields;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.AsyncResult;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

/**
 * One bodiless request carried over a {@link LeanPool} connection, and its response relayed to the
 * client's {@link HttpServerResponse} as it arrives: the lean counterpart of Vert.x's HttpClient
 * request and {@code pipe()} in {@link Exchange}. What the outcome means (fallback, ejection, the
 * problem answered, the access log) stays with the exchange, told through {@link Ending}.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>On a shadow route the body is also copied, up to the route's limit, into a {@link BodyCapture}
 *       for the comparison, as {@link CapturingWriteStream} does on the Vert.x path.</li>
 *   <li>The connection goes back to the pool only after the last content of a response that keeps
 *       the connection alive; on any failure, and when the client goes away, it is closed.</li>
 *   <li>A response that ends early (short of its Content-Length, a chunked one without its last
 *       chunk) or turns malformed reaches us as the connection's break before the last content: it is
 *       reported as broken off, never ended as a whole response.</li>
 *   <li>Each body chunk is written to the client without a copy and released once written; when the
 *       client's write queue is full the connection stops being read until it drains.</li>
 *   <li>Interim responses: {@code 103} is relayed as early hints, other {@code 1xx} are dropped.</li>
 *   <li>The final response head is decoded straight into the client's {@code response.headers()}
 *       ({@link LeanPool#send(Channel, LeanRequest, long, HttpHeaders)}),
 *       except on a shadow route, where the monolith's head is kept apart for the comparison. A head
 *       that fails part way is cleared from there, so none of its headers reach the problem answered.</li>
 * </ul>
 *
 * <p>The relay is itself the listener ({@link Completable}) of the client's response end, so ending
 * a response costs no future transformation or lambda; Vert.x calls it, nothing else should.
 */
final class LeanRelay implements LeanPool.LeanCall, Completable<Void> {
    /** What the exchange does with each turn of the call; called on the event loop. */
    interface Ending {
        /** Whether the exchange has finished already (the client went away): the call then ends quietly. */
        boolean isFinished();

        void connected();

        /** No connection; {@code cause} is the connect's failure. */
        void connectFailed(Throwable cause);

        void earlyHints(MultiMap headers);

        /**
         * The final response head, with {@code connectionLines} {@code Connection} lines (or
         * {@link ProxyHeaders#UNCOUNTED}): relay it. Returns whether the client's connection is to be
         * closed once the response ends.
         */
        boolean answered(int status, String reason, MultiMap headers, HeaderFields fields, int connectionLines);

        /** The connection broke (or timed out) before the response head. */
        void failedBeforeHead(Throwable cause);

        /** The connection broke (or timed out) after the head was relayed. */
        void brokeOff(Throwable cause);

        /** The client's response was ended (or failed to end) after the whole backend response. */
        void relayed(AsyncResult<Void> ended, boolean closeClient);
    }

    private final LeanPool pool;
    private final LeanRequest head;
    private final long responseTimeoutMillis;
    private final HttpServerResponse response;
    private final Ending ending;
    /** A copy of the body for the shadow stage's comparison when the route is in shadow; null otherwise. */
    private final BodyCapture capture;
    /** Where the final head's headers are decoded: the client's response headers, or null for a map of their own. */
    private final HttpHeaders finalHeaders;
    private Channel ch;
    private boolean headSeen;
    private boolean keepAlive;
    private boolean closeClient;
    private boolean drainHandlerSet;
    /** The response's last bytes while the client's response is being ended with them; released once that is done. */
    private ByteBuf lastContent;

    /** @param capture where a copy of the body goes as it is relayed (the monolith's answer on a shadow route), or null */
    LeanRelay(LeanPool pool, LeanRequest head, long responseTimeoutMillis, HttpServerResponse response, BodyCapture capture,
              Ending ending) {
        this.capture = capture;
        this.pool = pool;
        this.head = head;
        this.responseTimeoutMillis = responseTimeoutMillis;
        this.response = response;
        this.ending = ending;
        this.finalHeaders = NettyBridge.asNettyHeaders(response.headers());
    }

    void start() {
        pool.acquire(this);
    }

    @Override
    public void connected(Channel ch) {
        if (ending.isFinished()) {
            pool.release(ch, true); // nothing was written on it
            return;
        }
        this.ch = ch;
        ending.connected();
        // A shadow route's monolith answer is kept as fields of its own too: the relay edits the map.
        pool.send(ch, head, responseTimeoutMillis, finalHeaders, capture != null);
    }

    @Override
    public void connectFailed(Throwable cause) {
        if (!ending.isFinished()) ending.connectFailed(cause);
    }

    @Override
    public void interim(int status, HttpHeaders headers) {
        if (status == 103 && !ending.isFinished()) ending.earlyHints(NettyBridge.asMultiMap(headers));
    }

    @Override
    public void head(int status, String reason, HttpHeaders headers, HeaderFields fields, int connectionLines, boolean keepAlive) {
        headSeen = true;
        this.keepAlive = keepAlive;
        if (!ending.isFinished()) closeClient = ending.answered(status, reason, NettyBridge.asMultiMap(headers), fields, connectionLines);
    }

    @Override
    public void content(ByteBuf bytes, boolean last) {
        if (ch == null || ending.isFinished()) {
            bytes.release();
            return;
        }
        if (capture != null && bytes.isReadable()) capture.add(bytes);
        if (last) {
            Channel done = ch;
            ch = null;
            pool.release(done, keepAlive);
            lastContent = bytes;
            // The relay itself listens for the end (see complete): no future or lambda per response.
            (bytes.isReadable() ? endWith(bytes) : response.end()).onComplete(this);
            return;
        }
        if (!bytes.isReadable()) {
            bytes.release();
            return;
        }
        // One listener per chunk, the only thing that knows which bytes to release (no andThen: it makes a future too).
        writeOf(bytes).onComplete((Completable<Void>) (ignored, failure) -> bytes.release());
        if (ch != null && response.writeQueueFull()) pauseUntilDrained();
    }

    private Future<Void> endWith(ByteBuf bytes) {
        try {
            return response.end(NettyBridge.wrap(bytes));
        } catch (IllegalStateException closed) { // the response cannot take it any more: the client is gone
            return Future.failedFuture(closed);
        }
    }

    private Future<Void> writeOf(ByteBuf bytes) {
        try {
            return response.write(NettyBridge.wrap(bytes));
        } catch (IllegalStateException closed) {
            return Future.failedFuture(closed);
        }
    }

    /**
     * The client's response was ended with the last bytes (or failed to be): they are released
     * (only now does Netty no longer read them), then the exchange is told.
     */
    @Override
    public void complete(Void result, Throwable failure) {
        ByteBuf done = lastContent;
        lastContent = null;
        done.release();
        ending.relayed(failure == null ? Future.succeededFuture() : Future.failedFuture(failure), closeClient);
    }

    private void pauseUntilDrained() {
        ch.config().setAutoRead(false);
        if (drainHandlerSet) return;
        drainHandlerSet = true;
        response.drainHandler(v -> {
            if (ch != null) ch.config().setAutoRead(true);
        });
    }

    @Override
    public void broke(Throwable cause) {
        ch = null;
        // A head cut off or refused part way may have filled some of the client's headers: the problem answer must not carry them.
        if (!headSeen && finalHeaders != null) finalHeaders.clear();
        if (ending.isFinished()) return;
        if (headSeen) ending.brokeOff(cause);
        else ending.failedBeforeHead(cause);
    }

    /** The client went away: the backend's connection is closed, never reused half-read. */
    void abort() {
        Channel broken = ch;
        ch = null;
        if (broken != null) pool.release(broken, false);
    }
}
