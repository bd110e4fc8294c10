package dev.strangler.gateway.proxy;

import dev.strangler.gateway.observe.Failure;
import io.netty.util.AsciiString;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The client's request body on its way to a backend: framed exactly as it came, paced by the
 * backend (back-pressure), and never completed unless the client completed it.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A request without a body (HTTP/1.x: neither Content-Length nor Transfer-Encoding, RFC 9112
 *       §6.3; HTTP/2: END_STREAM on the headers) goes out without any body framing: no
 *       {@code transfer-encoding: chunked}, no {@code 0\r\n\r\n}.</li>
 *   <li>The backend's request is ended only when the client's body ended cleanly. A client that
 *       resets, closes early (short of its Content-Length), sends a malformed chunk or stalls for
 *       {@code client.body-idle-timeout} makes the backend's request <em>reset</em> (its connection
 *       closed, or its HTTP/2 stream reset), so the backend can never take a truncated body for a
 *       whole one.</li>
 *   <li>The pause allowed between two parts of the body is the body-idle timeout, not the backend's
 *       response timeout: a slow upload that keeps progressing is never cut off.</li>
 *   <li>While the backend takes no more (its write queue full, the client paused for it, or the
 *       body's last bytes not yet taken), the client is not idle: the pause is the backend's, and it
 *       may last the backend's response timeout (NGINX: {@code proxy_send_timeout}). Past it the
 *       backend's request is reset with a timeout, which the exchange reports as the backend's
 *       {@code response-timeout} (504), never as the client's {@code 408}.</li>
 * </ul>
 */
final class Upload {
    /** How the client framed its body, which is how the backend gets it. */
    enum Framing {
        /** No body at all. */
        NONE,
        /** {@code Content-Length} bytes. */
        LENGTH,
        /** HTTP/1.1 chunked. */
        CHUNKED,
        /** HTTP/2 without content-length: chunked towards the backend if any data comes, none if END_STREAM comes first. */
        UNTIL_END_STREAM;

        static Framing of(HttpServerRequest request) {
            boolean hasLength = request.headers().contains(HttpHeaders.CONTENT_LENGTH);
            if (request.version() != HttpVersion.HTTP_2) {
                if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) return CHUNKED;
                return hasLength ? LENGTH : NONE;
            }
            if (hasLength) return LENGTH;
            return request.isEnded() ? NONE : UNTIL_END_STREAM;
        }
    }

    private final HttpServerRequest in;
    private final HttpClientRequest out;
    private final Vertx vertx;
    private final long idleMillis;
    private final Framing framing;
    /** The body's first bytes, read already ({@link ReadAhead}): they go out before the rest. */
    private final Optional<Buffer> readAhead;
    private final Promise<Void> sent = Promise.promise();
    /** The client's pause: runs while the gateway reads the client. */
    private long idleTimer = -1;
    /** The backend's pause: runs while the backend takes nothing of what was written. */
    private final BackendPause backendPause;
    private boolean anyData;
    private boolean done;
    /** The client is paused until the backend takes more (its write queue full). */
    private boolean heldForBackend;

    /**
     * @param bodyIdleTimeout      the longest pause of the client between two parts of its body
     * @param backendPauseTimeout  the longest the backend may take none of the body (its response timeout)
     * @param readAhead            the body's first bytes when they were read already (the request paused
     *                             after them, {@link ReadAhead}); they are sent before the rest
     */
    Upload(HttpServerRequest in, HttpClientRequest out, Vertx vertx, Duration bodyIdleTimeout, Duration backendPauseTimeout,
            Optional<Buffer> readAhead) {
        this.in = in;
        this.readAhead = readAhead;
        this.out = out;
        this.vertx = vertx;
        this.idleMillis = Math.max(1, bodyIdleTimeout.toMillis());
        this.backendPause = new BackendPause(out, vertx, backendPauseTimeout.toMillis());
        this.framing = Framing.of(in);
    }

    /**
     * Whether the client asked to be told to go on before sending its body (RFC 9110 §10.1.1), and
     * the gateway heeds it ({@link #ignoresContinue}).
     */
    static boolean expectsContinue(HttpServerRequest request) {
        String expect = request.getHeader(HttpHeaders.EXPECT);
        return expect != null && isContinue(expect) && !ignoresContinue(request, Framing.of(request));
    }

    /**
     * Whether a {@code 100-continue} expectation on this request is ignored: neither waited on, nor
     * answered with a {@code 100}, nor passed on ({@link OutboundRequest}). So it is for an HTTP/1.0
     * request (RFC 9110 §10.1.1: a server MUST ignore it; such a client cannot read an interim
     * response, and the backend, spoken to in HTTP/1.1, would wait for a go-ahead the client never
     * asked for) and for a request without content, which has nothing to hold back (a client must not
     * send the expectation with one).
     */
    static boolean ignoresContinue(HttpServerRequest request, Framing framing) {
        return request.version() == HttpVersion.HTTP_1_0 || !InboundBody.hasContent(request, framing);
    }

    /**
     * Whether an {@code Expect} value asks for {@code 100-continue} and for nothing else (RFC 9110
     * §10.1.1): its list's elements, compared without case and with their whitespace (OWS) around
     * them ignored, are that one expectation; empty elements count for nothing (§5.6.1). A value
     * that also carries another expectation ({@code 100-continue, foo}) is not: the gateway meets only
     * {@code 100-continue}, and what it would do for one it heeds (answer {@code 100} itself, or drop
     * the line when it ignores the expectation) would also answer for, or silently drop, one it knows
     * nothing of; such a value goes to the backend as it came, for the origin to meet or refuse (417).
     * Read in place: this runs for every {@code Expect} line of every request.
     */
    static boolean isContinue(CharSequence expect) {
        boolean continues = false;
        for (int from = 0, length = expect.length(); from < length; ) {
            int end = from;
            while (end < length && expect.charAt(end) != ',') end++;
            int start = from;
            while (start < end && isWhitespace(expect.charAt(start))) start++;
            int stop = end;
            while (stop > start && isWhitespace(expect.charAt(stop - 1))) stop--;
            from = end + 1;
            if (start == stop) continue;
            if (stop - start != CONTINUE.length() || !AsciiString.regionMatches(expect, true, start, CONTINUE, 0, CONTINUE.length()))
                return false;
            continues = true;
        }
        return continues;
    }

    private static final String CONTINUE = "100-continue";

    /** Optional whitespace around a list element (RFC 9110 §5.6.3): spaces and tabs. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Starts moving the body. Completes when the backend's request was ended after the client's whole
     * body; fails with a {@link FailedUpload} after resetting the backend's request for the client's
     * sake, or with a {@link TimeoutException} after resetting it because the backend took nothing for
     * its response timeout (the response then fails with the same exception).
     *
     * @param awaitingContinue the client waits for a {@code 100 Continue} that the backend has not sent
     *                         yet: its silence is not counted as idle until {@link #continued()}
     */
    Future<Void> start(boolean awaitingContinue) {
        if (in.isEnded() && readAhead.isEmpty()) { // already read to its end (an HTTP/2 request whose END_STREAM came with its head)
            ended();
            return sent.future();
        }
        if (framing == Framing.CHUNKED) out.setChunked(true);
        // The head goes out at once when the framing is known: a client waiting for 100-continue
        // sends nothing until the backend saw the head and said so.
        if (framing == Framing.CHUNKED || framing == Framing.LENGTH) out.sendHead();
        in.handler(this::data);
        in.endHandler(v -> ended());
        in.exceptionHandler(e -> abort(Failure.CLIENT_ABORTED));
        if (!awaitingContinue) touch();
        // The bytes read already go first, before the request is resumed for the rest; taking them may
        // fill the backend's write queue, and then the client stays paused until the backend drains it.
        readAhead.ifPresent(this::data);
        if (in.isEnded()) ended();
        else if (!heldForBackend) in.resume();
        return sent.future();
    }

    /** The client was told to go on: from now on its silence counts. */
    void continued() {
        if (!done) touch();
    }

    /** Whether the client's whole body went to the backend. */
    boolean isComplete() {
        return sent.future().succeeded();
    }

    /**
     * Whether the upload was abandoned for the client's sake (its body broke off, stalled or was
     * malformed) and the backend's request reset: that failure is reported by the upload. A backend
     * that went away while the body was sent is not: its response future says how it failed.
     */
    boolean isFailed() {
        return sent.future().failed() && sent.future().cause() instanceof FailedUpload;
    }

    /** Stops forwarding and resets the backend's request; a no-op once complete. */
    void abort(Failure why) {
        if (done) return;
        done = true;
        cancelTimer();
        in.handler(null);
        // Failed before the reset, which may fail the backend's response at once: that failure is ours, not the backend's.
        sent.tryFail(new FailedUpload(why));
        out.reset();
    }

    private void data(Buffer chunk) {
        if (done) return;
        touch();
        // An empty part carries nothing: after an h2c upgrade Vert.x hands the HTTP/1.1 request's end
        // over as an empty data frame, which must not turn a bodiless GET into a chunked one.
        if (chunk.length() == 0) return;
        if (!anyData && framing == Framing.UNTIL_END_STREAM) out.setChunked(true);
        anyData = true;
        out.write(chunk);
        if (out.writeQueueFull()) {
            // The gateway stops reading the client for the backend's sake: from now on the pause is the backend's.
            in.pause();
            heldForBackend = true;
            if (backendPause.start(this::backendStalled)) cancelClientTimer();
            out.drainHandler(v -> {
                heldForBackend = false;
                if (done) return;
                if (backendPause.stop()) touch();
                in.resume();
            });
        }
    }

    private void ended() {
        if (done) return;
        // A malformed chunk ends the inbound stream with a failed decoder result rather than an error.
        if (in.decoderResult().isFailure()) {
            abort(Failure.BAD_REQUEST);
            return;
        }
        done = true;
        cancelTimer();
        backendPause.start(this::backendStalled); // until the backend has taken the body's last bytes
        out.end().onComplete(ar -> {
            backendPause.stop();
            if (ar.succeeded()) sent.tryComplete();
            else sent.tryFail(ar.cause()); // the backend went away; its response future says how
        });
    }

    /** The backend took none of the body for its timeout: the upload ends as failed, before the reset fails the response. */
    private void backendStalled() {
        done = true;
        cancelTimer();
        in.handler(null);
        sent.tryFail(new TimeoutException("the backend took none of the request body in time"));
    }

    /**
     * The backend's response head came before it took the whole body (an early answer): its pace in
     * taking the rest is the response's business now, and the client's pauses are timed again.
     */
    void backendAnswered() {
        if (backendPause.answered() && !done) touch();
    }

    /**
     * How long a backend takes none of a request body, for {@link Upload} and {@link WholeBody}: from
     * {@link #start} (the write queue full, or the body ended and its last bytes not taken) to
     * {@link #stop} (the backend took more). Past its timeout the backend's request is reset with a
     * timeout, as Vert.x's own idle timeout does: the response fails with it, which the exchange reports
     * as the backend's response timeout. Not started again once the backend answered ({@link #answered}).
     */
    static final class BackendPause {
        private final HttpClientRequest out;
        private final Vertx vertx;
        private final long millis;
        private long timer = -1;
        private boolean answered;

        BackendPause(HttpClientRequest out, Vertx vertx, long millis) {
            this.out = out;
            this.vertx = vertx;
            this.millis = Math.max(1, millis);
        }

        /** Starts (or starts again) timing; returns whether it does, which it does not after an answer. */
        boolean start(Runnable beforeReset) {
            stop();
            if (answered) return false;
            timer = vertx.setTimer(millis, id -> {
                timer = -1;
                beforeReset.run();
                reset();
            });
            return true;
        }

        /** Stops timing; returns whether it was. */
        boolean stop() {
            if (timer < 0) return false;
            vertx.cancelTimer(timer);
            timer = -1;
            return true;
        }

        /** The response head came: no more timing. Returns whether it was timing. */
        boolean answered() {
            answered = true;
            return stop();
        }

        private void reset() {
            HttpConnection connection = out.connection();
            out.reset(0, new TimeoutException("the backend took none of the request body for " + millis + " ms"));
            // An HTTP/1.x reset closes the connection only once its writes are flushed, which they never will be.
            // An HTTP/2 connection carries other streams: the reset of this one is enough.
            if (connection != null && out.version() != HttpVersion.HTTP_2) ClientPipeline.closeAtOnce(connection);
        }
    }

    /**
     * A body the gateway holds whole (kept for a retry or a shadow copy), sent and the request ended in
     * slices that wait for the backend to take them, so that a backend that stops taking the body is
     * timed out as {@link #start} times it out ({@code backendPauseMillis} without progress), rather than
     * left waiting with the whole body queued.
     */
    static final class WholeBody {
        private final HttpClientRequest out;
        private final Buffer body;
        private final BackendPause backendPause;
        private final Promise<Void> sent = Promise.promise();
        private int at;

        WholeBody(HttpClientRequest out, Buffer body, Vertx vertx, long backendPauseMillis) {
            this.out = out;
            this.body = body;
            this.backendPause = new BackendPause(out, vertx, backendPauseMillis);
        }

        /** Starts sending; completes when the backend has taken the last bytes. */
        Future<Void> send() {
            // Written in parts, the body needs its length in the head (end(body) would have set it).
            if (!out.isChunked() && !out.headers().contains(HttpHeaders.CONTENT_LENGTH))
                out.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
            next();
            return sent.future();
        }

        /** As {@link Upload#backendAnswered()}: the backend's pace in taking the rest is no longer timed. */
        void backendAnswered() {
            backendPause.answered();
        }

        private void next() {
            backendPause.start(() -> { });
            while (at < body.length() && !out.writeQueueFull()) {
                int end = Math.min(body.length(), at + SLICE_BYTES);
                out.write(body.slice(at, end));
                at = end;
            }
            if (at < body.length()) {
                out.drainHandler(v -> next());
                return;
            }
            out.end().onComplete(ar -> {
                backendPause.stop();
                sent.handle(ar);
            });
        }
    }

    /** The most of a whole body written at once: the backend's write queue is checked between slices. */
    private static final int SLICE_BYTES = 64 * 1024;

    private void touch() {
        cancelTimer();
        idleTimer = vertx.setTimer(idleMillis, id -> {
            idleTimer = -1;
            abort(Failure.CLIENT_BODY_TIMEOUT);
        });
    }

    /** Cancels both timers: the client's pause and the backend's. */
    private void cancelTimer() {
        cancelClientTimer();
        backendPause.stop();
    }

    private void cancelClientTimer() {
        if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
        idleTimer = -1;
    }

    /** The client's side of the upload failed: the backend's request was (or must be) reset. */
    static final class FailedUpload extends RuntimeException {
        final Failure failure;

        FailedUpload(Failure failure) {
            super(failure.label(), null, false, false);
            this.failure = failure;
        }
    }
}
