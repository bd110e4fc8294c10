package dev.strangler.gateway.proxy;

import dev.strangler.core.shadow.DropReason;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

import java.util.Optional;

/**
 * A shadow copy over Vert.x's {@link HttpClient}: the one for a copy with a body (the lean client
 * sends bodiless requests only, see {@link LeanCopy}), for an {@code https} backend, and for every
 * copy when the lean path is switched off. The request is sent whole at once, so its response timeout
 * (the options' idle timeout) runs from the start; once the head arrived, a {@link PauseTimer} keeps
 * it as the longest pause inside the body, so a service that stalls mid-body does not hold a
 * connection of the copies' pool, and the comparison, for ever.
 */
final class HttpClientCopy implements ShadowCopy.Leg {
    private final Vertx vertx;
    private final HttpClient http;
    private final RequestOptions options;
    private final Optional<Buffer> content;
    private final int maxBodyBytes;
    private ShadowCopy.Listener listener;
    private boolean done;

    /**
     * @param options the backend's URI and headers, its idle timeout the response timeout
     * @param content empty for a request without content (sent without Content-Length or Transfer-Encoding)
     */
    HttpClientCopy(Vertx vertx, HttpClient http, RequestOptions options, Optional<Buffer> content, int maxBodyBytes) {
        this.vertx = vertx;
        this.http = http;
        this.options = options;
        this.content = content;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void send(ShadowCopy.Listener listener) {
        this.listener = listener;
        options.getHeaders().set(ShadowCopy.HEADER, "true");
        http.request(options).onFailure(e -> {
            done = true;
            // Every connection of the copies' pool is held (it has no wait queue): busy, not unreachable.
            if (e instanceof ConnectionPoolTooBusyException) listener.failed(DropReason.QUEUE_FULL);
            else listener.unreachable(reasonFor(e));
        }).compose(req -> content.isPresent() ? req.send(content.get()) : req.send()).onComplete(ar -> {
            if (ar.failed()) {
                fail(reasonFor(ar.cause()));
                return;
            }
            HttpClientResponse r = ar.result();
            BodyCapture body = new BodyCapture(maxBodyBytes);
            // Nothing reads a copy slowly: its body is taken as fast as it comes.
            PauseTimer pauses = new PauseTimer(vertx, options.getIdleTimeout(), () -> false, () -> {
                fail(DropReason.TIMEOUT);
                r.request().reset();
            }).start();
            r.handler(chunk -> {
                pauses.partArrived();
                if (done || body.add(chunk)) return;
                pauses.stop();
                fail(DropReason.BODY_TOO_LARGE);
                r.request().reset();
            });
            r.exceptionHandler(e -> {
                pauses.stop();
                fail(reasonFor(e));
            });
            r.endHandler(v -> {
                pauses.stop();
                if (done) return;
                done = true;
                listener.answered(r.statusCode(), ShadowCopy.fieldsOf(r.headers()), body.captured());
            });
        });
    }

    private void fail(DropReason reason) {
        if (done) return;
        done = true;
        listener.failed(reason);
    }

    static DropReason reasonFor(Throwable cause) {
        return BackendErrors.isTimeout(cause) ? DropReason.TIMEOUT : DropReason.SERVICE_FAILED;
    }
}
