package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.HeaderFields;
import dev.strangler.core.shadow.DropReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * A bodiless shadow copy (to the service, or the noise check's second one to the monolith) carried
 * over a {@link LeanPool} connection, its answer read into a {@link BodyCapture} instead of relayed:
 * the lean counterpart of {@link HttpClientCopy}, with the same drop reasons.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Exactly one of the listener's methods is called, once: {@code unreachable} when no connection
 *       could be had (refused, connect timeout), {@code failed} with {@link DropReason#QUEUE_FULL} at
 *       once when every connection of the copies' pool is in use (see {@link #send}), {@code failed} with
 *       {@link DropReason#TIMEOUT} after the backend's response timeout without a byte, with
 *       {@link DropReason#BODY_TOO_LARGE} past the body limit, {@link DropReason#SERVICE_FAILED} for
 *       any other break; else {@code answered} with the whole answer.</li>
 *   <li>The connection goes back to the pool only after the last content of a response that keeps it
 *       alive (LeanPool's rule); past the body limit, on a read failure or a malformed answer (an
 *       unexpected {@code 101} too) it is closed, never reused half-read.</li>
 *   <li>Every body buffer read is released here once its bytes are copied: nothing of the
 *       answer outlives the read but the captured array and the head's header map.</li>
 *   <li>Interim {@code 1xx} answers are skipped: the final answer is the one compared.</li>
 * </ul>
 */
final class LeanCopy implements LeanPool.LeanCall, ShadowCopy.Leg {
    private final LeanPool pool;
    private final LeanRequest request;
    private final long responseTimeoutMillis;
    private final BodyCapture body;
    private ShadowCopy.Listener listener;
    /** The connection while the copy holds it; null before, and once given back or closed. */
    private Channel ch;
    private boolean keepAlive;
    private int status;
    private HeaderFields fields;

    /** @param request the head as it would go to the backend for the user; {@link #markedAsShadow} adds the shadow's mark */
    LeanCopy(LeanPool pool, LeanRequest request, long responseTimeoutMillis, int maxBodyBytes) {
        this.pool = pool;
        this.request = markedAsShadow(request);
        this.responseTimeoutMillis = responseTimeoutMillis;
        this.body = new BodyCapture(maxBodyBytes);
    }

    /**
     * {@code head} with {@link ShadowCopy#HEADER} set, as {@code MultiMap.set} sets it on Vert.x's
     * path: any line of that name (any case) is left out and the mark goes last. The client's never
     * gets this far ({@link OutboundRequest}); a route's {@code request-headers.set} of the name may.
     */
    static LeanRequest markedAsShadow(LeanRequest head) {
        return new LeanRequest(head.method(), head.uri(), sink -> {
            head.headers().accept((name, value) -> {
                if (!AsciiString.contentEqualsIgnoreCase(name, ShadowCopy.HEADER)) sink.add(name, value);
            });
            sink.add(ShadowCopy.HEADER, "true");
        });
    }

    /**
     * A copy never waits for one of the service's connections: when all are held (by the copies of
     * other shadow routes of the same service, each route bounded by its {@code max-concurrent}), it is
     * dropped at once as {@link DropReason#QUEUE_FULL}. Waiting would end as a connect timeout after
     * {@code connect-timeout}, read as the service being unreachable, and pause the route's copies.
     */
    @Override
    public void send(ShadowCopy.Listener listener) {
        this.listener = listener;
        if (!pool.acquireWithoutWaiting(this)) listener.failed(DropReason.QUEUE_FULL);
    }

    @Override
    public void connected(Channel ch) {
        this.ch = ch;
        pool.send(ch, request, responseTimeoutMillis);
    }

    @Override
    public void connectFailed(Throwable cause) {
        listener.unreachable(HttpClientCopy.reasonFor(cause));
    }

    @Override
    public void interim(int status, HttpHeaders headers) {
        // skipped: the final answer is the one compared
    }

    @Override
    public void head(int status, String reason, HttpHeaders headers, HeaderFields fields, int connectionLines, boolean keepAlive) {
        this.status = status;
        this.fields = fields;
        this.keepAlive = keepAlive;
        List<String> length = fields.get("Content-Length");
        if (length != null) body.expectLength(length.getFirst());
    }

    @Override
    public void content(ByteBuf bytes, boolean last) {
        try {
            if (ch == null) return; // ended already (past the limit)
            if (!body.add(bytes)) {
                giveBack(false);
                listener.failed(DropReason.BODY_TOO_LARGE);
                return;
            }
            if (last) {
                giveBack(keepAlive);
                listener.answered(status, fields, body.captured());
            }
        } finally {
            bytes.release();
        }
    }

    @Override
    public void broke(Throwable cause) {
        ch = null;
        listener.failed(HttpClientCopy.reasonFor(cause));
    }

    private void giveBack(boolean reusable) {
        Channel done = ch;
        ch = null;
        pool.release(done, reusable);
    }
}
