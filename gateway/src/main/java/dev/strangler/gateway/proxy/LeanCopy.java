package dev.strangler.gateway.proxy;

import dev.strangler.core.shadow.DropReason;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.MultiMap;

import java.io.IOException;

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
 *       alive (LeanPool's rule); past the body limit, on a read failure or an unexpected {@code 101}
 *       it is closed, never reused half-read.</li>
 *   <li>Every response object read is released here once its bytes are copied: nothing of the
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
    private boolean interim;
    private boolean keepAlive;
    private int status;
    private MultiMap headers;

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
    public void read(HttpObject message) {
        try {
            if (message instanceof HttpResponse h && !head(h)) return;
            if (message instanceof HttpContent content) content(content);
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    /** Returns whether the message may go on to its content part. */
    private boolean head(HttpResponse h) {
        if (h.decoderResult().isFailure()) {
            readFailed();
            return false;
        }
        int code = h.status().code();
        if (code == 101) { // no upgrade was asked: the connection now speaks something else
            readFailed();
            return false;
        }
        interim = code < 200;
        if (interim) return true;
        status = code;
        headers = NettyBridge.asMultiMap(h.headers());
        keepAlive = HttpUtil.isKeepAlive(h);
        body.expectLengthOf(headers);
        return true;
    }

    private void content(HttpContent content) {
        if (ch == null) return; // ended already (past the limit)
        if (content.decoderResult().isFailure()) {
            readFailed();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (interim) {
            if (last) interim = false; // a 1xx ended: the final answer follows
            return;
        }
        if (!body.add(content.content())) {
            giveBack(false);
            listener.failed(DropReason.BODY_TOO_LARGE);
            return;
        }
        if (last) {
            giveBack(keepAlive);
            listener.answered(status, headers, body.captured());
        }
    }

    @Override
    public void broke(Throwable cause) {
        ch = null;
        listener.failed(HttpClientCopy.reasonFor(cause));
    }

    /** The answer cannot be read on: the connection is closed (without telling this call) and the copy failed. */
    private void readFailed() {
        if (ch == null) return;
        giveBack(false);
        broke(new IOException("unreadable answer"));
    }

    private void giveBack(boolean reusable) {
        Channel done = ch;
        ch = null;
        pool.release(done, reusable);
    }
}
