package dev.strangler.gateway.proxy;

import dev.strangler.gateway.observe.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;

/**
 * A request body read into memory before any of it goes to a backend: whole, for a body the gateway
 * keeps (a retry, a shadow copy), or up to a limit when the head does not say how long the body is
 * (chunked, or HTTP/2 without {@code content-length}) and the body may turn out longer than can be kept.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Reading follows {@link Upload}'s rules: the client may pause for {@code client.body-idle-timeout}
 *       between two parts, and a body that breaks off, stalls or is malformed fails the read with an
 *       {@link Upload.FailedUpload}, so nothing of it is ever sent as if whole.</li>
 *   <li>When the body passes the limit, reading stops at the part that passed it: {@link #bytes} holds
 *       everything read, and the request is left paused with none of the reader's handlers, its rest
 *       (and its end, or its failure) waiting in the request for the {@link Upload} that streams it
 *       after these bytes.</li>
 * </ul>
 *
 * @param bytes what was read, in order
 * @param whole whether that is the whole body (its end was read); if not, it is more than the limit
 */
record ReadAhead(Buffer bytes, boolean whole) {

    /** Reads the body until its end, or until more than {@code limit} bytes of it were read. */
    static Future<ReadAhead> upTo(HttpServerRequest in, Vertx vertx, Duration bodyIdleTimeout, long limit) {
        if (in.isEnded()) return Future.succeededFuture(new ReadAhead(Buffer.buffer(0), true));
        Promise<ReadAhead> read = Promise.promise();
        Buffer acc = Buffer.buffer();
        long idle = Math.max(1, bodyIdleTimeout.toMillis());
        long[] timer = {vertx.setTimer(idle, id -> read.tryFail(new Upload.FailedUpload(Failure.CLIENT_BODY_TIMEOUT)))};
        in.handler(chunk -> {
            acc.appendBuffer(chunk);
            vertx.cancelTimer(timer[0]);
            if (acc.length() > limit) {
                in.pause();
                in.handler(null);
                in.endHandler(null);
                in.exceptionHandler(null);
                read.tryComplete(new ReadAhead(acc, false));
                return;
            }
            timer[0] = vertx.setTimer(idle, id -> read.tryFail(new Upload.FailedUpload(Failure.CLIENT_BODY_TIMEOUT)));
        });
        in.endHandler(v -> {
            vertx.cancelTimer(timer[0]);
            if (in.decoderResult().isFailure()) read.tryFail(new Upload.FailedUpload(Failure.BAD_REQUEST));
            else read.tryComplete(new ReadAhead(acc, true));
        });
        in.exceptionHandler(e -> {
            vertx.cancelTimer(timer[0]);
            read.tryFail(new Upload.FailedUpload(Failure.CLIENT_ABORTED));
        });
        in.resume();
        return read.future();
    }
}
