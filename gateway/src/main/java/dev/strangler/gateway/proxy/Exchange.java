package dev.strangler.gateway.proxy;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.http.Rejection;
import dev.strangler.core.http.RequestCheck;
import dev.strangler.core.routing.Route;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.stage.Decision;
import dev.strangler.core.stage.Target;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.ExchangeObserver.Extra;
import dev.strangler.gateway.observe.Failure;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.gateway.observe.Outcome.BackendFailure;
import dev.strangler.gateway.observe.RequestDetails;
import dev.strangler.gateway.observe.UpstreamTiming;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * One request carried out according to its {@link Decision}: forward to the chosen backend,
 * stream the body both ways ({@link Upload}, {@link #relay}), fall back to the monolith once when
 * the decision allows, tunnel an upgrade ({@link Tunnel}), answer problems for failures, and report
 * an {@link Outcome} exactly once.
 *
 * <p>Confined to the event loop that accepted the request, so its fields need no synchronisation.
 *
 * <h2>Fallback</h2>
 * The inbound request stays paused until a backend connection is obtained, so when the service
 * cannot be connected to, nothing was consumed and the monolith can be sent the very same stream.
 * After a <em>response</em> timeout the body has been sent already; the request is retried only if
 * its body was kept, which it is when fallback is allowed and the body is at most
 * {@link Defaults#FALLBACK_REPLAY_BYTES} (GET/HEAD/OPTIONS usually have none).
 *
 * <h2>Timeouts</h2>
 * The backend's {@code response-timeout} starts when the whole request has been sent; until then
 * the client's pace is bounded by {@code client.body-idle-timeout} instead, so a slow upload that
 * keeps progressing is never failed for the backend's slowness. While the backend takes none of the
 * body (the client paused for it, or the last bytes not yet taken) the pause is the backend's, bounded by
 * its {@code response-timeout} and reported as its timeout ({@link Upload}).
 *
 * <h2>{@code Expect: 100-continue}</h2>
 * When the body is streamed, the head goes to the backend at once with the expectation, and the
 * backend's {@code 100 Continue} is relayed: RFC 9110 §10.1.1 asks a proxy to forward the head
 * rather than answer for the origin, which may still refuse the body (401, 413). When Strangler
 * itself reads the body first (kept for a replay or a shadow copy, or a chunked one read up to the
 * shadow limit, {@link ReadAhead}) it is the one that wants the body,
 * so it sends the {@code 100} and does not pass the expectation on. A request without content has
 * no body to hold back, and an HTTP/1.0 client cannot read an interim response (RFC 9110 §10.1.1: a
 * server MUST ignore its expectation): their expectation is neither waited on, nor answered with a
 * {@code 100}, nor passed on ({@link Upload#ignoresContinue}); the HTTP/1.0 client's body is streamed
 * as it comes.
 */
final class Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final RoutingState state;
    private final Decision decision;
    private final BackendClients clients;
    private final ShadowLimits shadows;
    private final ExchangeObserver observer;
    private final Runnable onDone;
    private final String requestId;
    /** The request's check: its normalised path (what the backend receives) and authority. */
    private final RequestCheck.Accepted accepted;
    private final long startNanos;

    private HttpClientRequest backendRequest;
    /** Times the pauses of the response body relayed from Vert.x's client; null until its head was relayed. */
    private BodyPauseWatch bodyWatch;
    /** The current attempt when it goes over the lean backend client ({@link LeanRelay}); null otherwise. */
    private LeanRelay leanRelay;
    /** The body of the current attempt while it is streamed; null when kept in memory or not begun. */
    private Upload upload;
    /** The attempt's kept body on its way to the backend, when it has one. */
    private Upload.WholeBody wholeBody;
    /** The client of the current attempt, released when the attempt ends (fallback) or the exchange finishes. */
    private BackendClients.Client client;
    private String answeringBackend;
    private Optional<BackendFailure> fallback = Optional.empty();
    private boolean finished;
    /**
     * Whether the inbound request was paused, and so must be resumed to let its end through. A
     * request without a body that is taken at once (its body kept as empty, nothing to stream) is
     * never paused: pausing is what makes Vert.x allocate the request's inbound queue.
     */
    private boolean paused;
    /** The copy to the service while the route is in shadow; null otherwise or when not copied. */
    private ShadowCopy shadowCopy;
    private final UpstreamTiming upstream = new UpstreamTiming();

    Exchange(HttpServerRequest request, RoutingState state, Decision decision, BackendClients clients,
             ShadowLimits shadows, ExchangeObserver observer, Runnable onDone, String requestId, RequestCheck.Accepted accepted,
             long startNanos) {
        this.shadows = shadows;
        this.request = request;
        this.response = request.response();
        this.state = state;
        this.decision = decision;
        this.clients = clients;
        this.observer = observer;
        this.onDone = onDone;
        this.requestId = requestId;
        this.accepted = accepted;
        this.startNanos = startNanos;
    }

    void start() {
        response.closeHandler(v -> clientWentAway());
        if (decision.shadowCopy()) {
            startShadowed(decision.route().orElseThrow());
        } else if (!decision.tunnel() && decision.fallbackToMonolith() && InboundBody.fits(request, Defaults.FALLBACK_REPLAY_BYTES)) {
            // Keep the (small) body so a response timeout can still be retried on the monolith.
            if (InboundBody.isKnownAbsent(request)) {
                // Nothing to read (a GET, most of the traffic): no pause, no read timer, no handlers, no future hop.
                send(SERVICE_WITHOUT_BODY);
            } else {
                pauseRequest();
                readWholeBody().onSuccess(body -> send(new Attempt(Target.SERVICE, Optional.of(body), true)));
            }
        } else {
            pauseRequest();
            send(new Attempt(decision.target(), Optional.empty(), decision.fallbackToMonolith()));
        }
    }

    /** Holds the inbound request (its body, its end) until an attempt takes it. */
    private void pauseRequest() {
        paused = true;
        request.pause();
    }

    /** Lets the end of a request without a body through, when it was held; one never paused gets it anyway. */
    private void resumeRequest() {
        if (paused) request.resume();
    }

    /**
     * The monolith answers the user as in the {@code monolith} stage; a copy goes to the service when
     * the route's settings allow it, and the two answers are compared once both are in.
     */
    private void startShadowed(Route route) {
        String method = request.method().name();
        int limit = route.shadow().maxBodyBytes();
        Optional<DropReason> skip = !route.shadow().copies(method) ? Optional.of(DropReason.WRITE_NOT_SHADOWED)
                : InboundBody.isKnownLargerThan(request, limit) ? Optional.of(DropReason.BODY_TOO_LARGE)
                : shadows.tryAcquire(route);
        if (skip.isPresent()) {
            observer.onShadowDropped(route.name(), skip.get());
            pauseRequest();
            send(new Attempt(Target.MONOLITH, Optional.empty(), false));
            return;
        }
        if (InboundBody.isKnownAbsent(request)) {
            // Nothing to read (a GET, most of the traffic): no pause, no read timer, no handlers, no future hop.
            copyAndSend(route, method, NO_BODY.orElseThrow());
            return;
        }
        // A body whose length the head does not give (chunked) is read up to the limit: it may turn out too long to copy.
        pauseRequest();
        readBody(limit).onComplete(ar -> {
            if (ar.failed()) {
                shadows.release(route);
            } else if (ar.result().whole()) {
                copyAndSend(route, method, ar.result().bytes());
            } else {
                shadows.release(route);
                observer.onShadowDropped(route.name(), DropReason.BODY_TOO_LARGE);
                send(Attempt.streamedAfter(Target.MONOLITH, ar.result().bytes()));
            }
        });
    }

    /**
     * Sends the user's request to the monolith with the kept body, then the copy (and the noise check's
     * second copy). The user's request goes first because the user waits for it and nobody waits for
     * the copy: handing a copy to its connection is a write system call of its own, which used to
     * delay every user request of a shadow route. The comparison is created before either, since the
     * monolith's answer is teed into it; should the monolith's attempt end the exchange at once, the
     * copy still goes and is counted as a drop ({@link ShadowCopy#monolithFailed}).
     */
    private void copyAndSend(Route route, String method, Buffer body) {
        Optional<Buffer> content = InboundBody.isWithoutContent(request, body) ? Optional.empty() : Optional.of(body);
        Backend service = state.config().service(route.service());
        BackendClients.Client serviceClient = clients.acquire(service);
        shadowCopy = new ShadowCopy(route.name(), method, request.uri(), shadows.differ(route), observer, () -> {
            clients.release(serviceClient);
            shadows.release(route);
        }, () -> shadows.markDown(route));
        send(new Attempt(Target.MONOLITH, Optional.of(body), false));
        shadowCopy.send(copyLeg(route, Target.SERVICE, service, serviceClient, content));
        if (route.shadow().noiseCheck()) {
            Backend monolith = state.config().monolith();
            BackendClients.Client monolithClient = clients.acquire(monolith);
            shadowCopy.sendToMonolithAgain(copyLeg(route, Target.MONOLITH, monolith, monolithClient, content),
                    () -> clients.release(monolithClient));
        }
    }

    /**
     * A copy to {@code backend}: over the lean client when it carries the request, by the user's leg's
     * rule ({@link #leanPool}) read for a kept body: nothing to send (a GET, or a body that turned out
     * empty), plain {@code http}, the switch on. The client's protocol does not matter here, since
     * nothing of the copy's answer is relayed. Copies have connections of their own
     * ({@link BackendClients.Client#copyPool}, {@link BackendClients.Client#copyHttp}). A copy with content
     * goes over Vert.x's client, which frames it.
     */
    private ShadowCopy.Leg copyLeg(Route route, Target target, Backend backend, BackendClients.Client to, Optional<Buffer> content) {
        BackendClients.Endpoint endpoint = to.nextEndpoint();
        long responseTimeout = backend.responseTimeout().toMillis();
        LeanPool lean = content.isEmpty() ? to.copyPool(endpoint) : null;
        if (lean != null) return new LeanCopy(lean, leanRequest(target, endpoint), responseTimeout, route.shadow().maxBodyBytes());
        // The copy's body is kept and sent at once, so its response timeout may run from the start.
        RequestOptions options = OutboundRequest.options(request, accepted, decision, target, backend, endpoint, requestId)
                .setIdleTimeout(responseTimeout);
        // As for the user's attempt with a kept body (send): the gateway read the body itself, so the copy
        // goes with it at once and asks no backend for a go-ahead.
        options.getHeaders().remove(HttpHeaders.EXPECT);
        return new HttpClientCopy(clients.vertx(), to.copyHttp(), options, content, route.shadow().maxBodyBytes());
    }

    /** Reads the body into memory, telling a client that expects it to go on; a broken body ends the exchange. */
    private Future<Buffer> readWholeBody() {
        return readBody(Long.MAX_VALUE).map(ReadAhead::bytes);
    }

    /**
     * Reads the body into memory up to {@code limit} ({@link ReadAhead}), telling a client that expects
     * it to go on; a broken body ends the exchange.
     */
    private Future<ReadAhead> readBody(long limit) {
        if (Upload.expectsContinue(request)) response.writeContinue();
        return ReadAhead.upTo(request, clients.vertx(), state.config().client().bodyIdleTimeout(), limit)
                .onFailure(e -> clientFailed(((Upload.FailedUpload) e).failure));
    }

    /** The kept body of a request that has none; shared, never written to. */
    private static final Optional<Buffer> NO_BODY = Optional.of(Buffer.buffer(0));

    private Backend backendOf(Attempt attempt) {
        return attempt.target() == Target.SERVICE
                ? state.config().service(decision.route().orElseThrow().service()) : state.config().monolith();
    }

    /** The first attempt of a request without a body that may fall back (most of the traffic); immutable, so shared. */
    private static final Attempt SERVICE_WITHOUT_BODY = new Attempt(Target.SERVICE, NO_BODY, true);

    private void send(Attempt attempt) {
        Backend backend = backendOf(attempt);
        client = clients.acquire(backend);
        answeringBackend = backend.name();
        Optional<BackendClients.Endpoint> available = attempt.target() == Target.SERVICE
                ? client.nextAvailableEndpoint() : Optional.of(client.nextEndpoint());
        if (available.isEmpty()) {
            // Every endpoint is ejected: nothing is sent, so the fallback rule is the one for a refused connect.
            failedBeforeAnswer(Failure.SERVICE_EJECTED, attempt);
            return;
        }
        BackendClients.Endpoint endpoint = available.get();
        LeanPool lean = leanPool(endpoint);
        if (lean != null) {
            sendLean(lean, attempt, backend, endpoint);
            return;
        }
        RequestOptions options = OutboundRequest.options(request, accepted, decision, attempt.target(), backend, endpoint, requestId);
        // A kept or read-ahead body was asked for by the gateway itself (it answered any 100-continue), so the expectation stops here.
        boolean readByGateway = attempt.keptBody().isPresent() || attempt.readAhead().isPresent();
        if (readByGateway) options.getHeaders().remove(HttpHeaders.EXPECT);

        upstream.attemptStarted();
        client.http.request(options).onComplete(connected -> {
            if (connected.succeeded()) upstream.connected();
            if (finished) {
                if (connected.succeeded()) connected.result().reset();
                return;
            }
            if (connected.failed()) {
                backendFailed(BackendErrors.whileConnecting(connected.cause()), connected.cause(), attempt, endpoint);
                return;
            }
            HttpClientRequest outbound = connected.result();
            backendRequest = outbound;
            long responseTimeout = backend.responseTimeout().toMillis();
            // A request Vert.x fails before its body was ended (the gateway resetting an aborted upload
            // with code 0, the backend closing mid-body, and a tunnel's, whose request Vert.x never ends:
            // connect() sends the head alone) goes to its exception handler, or else to an ERROR log line
            // "Stream reset: 0" with no request to tell. Its failure reaches the exchange already: first
            // through the response (answered()), and after the answer, the upload, the tunnel or the
            // relay of a declined answer ends the exchange.
            outbound.exceptionHandler(failedAlready -> { });
            if (decision.tunnel()) {
                outbound.idleTimeout(responseTimeout);
                outbound.connect().onComplete(ar -> answered(ar, attempt, endpoint));
                return;
            }
            outbound.response().onComplete(ar -> answered(ar, attempt, endpoint));
            outbound.earlyHintsHandler(this::relayEarlyHints);
            if (attempt.keptBody().isPresent()) {
                Buffer kept = attempt.keptBody().get();
                if (InboundBody.isWithoutContent(request, kept)) {
                    outbound.end().onSuccess(v -> outbound.idleTimeout(responseTimeout));
                    return;
                }
                // Framed as it came: a chunked body read whole goes out chunked, not with a length of the gateway's.
                if (Upload.Framing.of(request) == Upload.Framing.CHUNKED) outbound.setChunked(true);
                wholeBody = new Upload.WholeBody(outbound, kept, clients.vertx(), responseTimeout);
                wholeBody.send().onSuccess(v -> outbound.idleTimeout(responseTimeout));
                return;
            }
            boolean expects = !readByGateway && Upload.expectsContinue(request);
            upload = new Upload(request, outbound, clients.vertx(), state.config().client().bodyIdleTimeout(), backend.responseTimeout(),
                    attempt.readAhead());
            Upload streaming = upload;
            if (expects) outbound.continueHandler(v -> {
                if (!response.headWritten()) response.writeContinue();
                streaming.continued();
            });
            streaming.start(expects).onComplete(ar -> {
                if (ar.succeeded()) outbound.idleTimeout(responseTimeout);
                else if (ar.cause() instanceof Upload.FailedUpload f && upload == streaming) clientFailed(f.failure);
            });
        });
    }

    /**
     * The lean backend client's pool for this attempt when the request may take it: no body, no
     * tunnel, HTTP/1.x from the client (on a shadow route the monolith's answer is teed into the
     * comparison by the relay, as on Vert.x's path), plain {@code http} to
     * the backend (the client checks that one). Null otherwise, or when the switch is off ({@link LeanLoop}).
     */
    private LeanPool leanPool(BackendClients.Endpoint endpoint) {
        if (decision.tunnel() || request.version() == HttpVersion.HTTP_2 || !InboundBody.isKnownAbsent(request))
            return null;
        return client.leanPool(endpoint);
    }

    /** The same attempt as {@link #send}, over a {@link LeanPool} connection, with the same outcomes. */
    private void sendLean(LeanPool pool, Attempt attempt, Backend backend, BackendClients.Endpoint endpoint) {
        resumeRequest(); // nothing to read: lets the queued end of the request through
        LeanRequest head = leanRequest(attempt.target(), endpoint);
        upstream.attemptStarted();
        BodyCapture capture = shadowCopy == null ? null : new BodyCapture(decision.route().orElseThrow().shadow().maxBodyBytes());
        leanRelay = new LeanRelay(pool, head, backend.responseTimeout().toMillis(), response, capture,
                new LeanExchangeEnding(this, response, attempt, endpoint, shadowCopy, capture));
        leanRelay.start();
    }

    /** This request as {@code target}'s endpoint gets it, for the lean client: rewritten target, forwarding headers. */
    private LeanRequest leanRequest(Target target, BackendClients.Endpoint endpoint) {
        return new LeanRequest(io.netty.handler.codec.http.HttpMethod.valueOf(request.method().name()),
                OutboundRequest.uri(request, accepted, decision, target, endpoint),
                sink -> OutboundRequest.writeHeaders(request, accepted, decision, target, endpoint, requestId, sink));
    }

    /** Whether the outcome was reported already (the client went away, or the exchange ended otherwise). */
    boolean isFinished() {
        return finished;
    }

    /** The current attempt has its backend connection. */
    void attemptConnected() {
        upstream.connected();
    }

    /** The current attempt got its final response head: a service's endpoint counts it as a success. */
    void attemptAnswered(Attempt attempt, BackendClients.Endpoint endpoint) {
        if (attempt.target() == Target.SERVICE) client.answered(endpoint);
        upstream.answered();
    }

    /** The lean relay of the current attempt is done: a client going away has nothing left to abort on it. */
    void leanRelayEnded() {
        leanRelay = null;
    }

    /** A backend's {@code 103 Early Hints}, passed on while the client's response has not begun (RFC 8297). */
    void relayEarlyHints(MultiMap hints) {
        if (!response.headWritten()) response.writeEarlyHints(ProxyHeaders.endToEnd(hints, false));
    }

    private void answered(AsyncResult<HttpClientResponse> ar, Attempt attempt, BackendClients.Endpoint endpoint) {
        if (finished) return;
        if (ar.succeeded()) {
            attemptAnswered(attempt, endpoint);
            if (upload != null) upload.backendAnswered();
            if (wholeBody != null) wholeBody.backendAnswered();
            if (decision.tunnel() && ar.result().statusCode() == 101) new Tunnel(request, ar.result(), requestId).open()
                    .onComplete(t -> finish(101, t.succeeded() ? Optional.empty() : Optional.of(Failure.RESET_BY_BACKEND)));
            else relay(ar.result(), backendOf(attempt).responseTimeout().toMillis()); // a declined upgrade too: Tunnel#closeDeclined
            return;
        }
        if (upload != null && upload.isFailed()) return; // the client's side failed, and the upload reports it
        backendFailed(BackendErrors.beforeResponse(ar.cause()), ar.cause(), attempt, endpoint);
    }

    void backendFailed(Failure failure, Throwable cause, Attempt attempt, BackendClients.Endpoint endpoint) {
        backendRequest = null;
        if (upload != null) {
            Upload abandoned = upload;
            upload = null; // so its failure is not taken for the client's
            abandoned.abort(failure);
        }
        LOG.warn("request {}: {} at {}:{} failed ({}): {}", requestId, answeringBackend, endpoint.host(), endpoint.port(),
                failure.label(), cause.toString());
        if (attempt.target() == Target.SERVICE && client.failed(endpoint, failure)) {
            LOG.warn("{} at {}:{} ejected after {} hard failures in a row: no user traffic to it for a while",
                    answeringBackend, endpoint.host(), endpoint.port(), client.backend.outlier().consecutiveFailures());
        }
        failedBeforeAnswer(failure, attempt);
    }

    /** The attempt got no response head: fall back to the monolith when allowed, else answer a problem. */
    private void failedBeforeAnswer(Failure failure, Attempt attempt) {
        // Retried only when nothing was consumed (connect failure) or the body was kept: the monolith gets the same request.
        boolean replayable = failure.isBeforeSending() || attempt.keptBody().isPresent();
        if (attempt.mayFallBack() && fallback.isEmpty() && replayable) {
            fallback = Optional.of(new BackendFailure(answeringBackend, failure));
            releaseClient();
            send(attempt.toMonolith());
            return;
        }
        // A request without a body is read to its end, so the connection can carry the next one.
        if (Upload.Framing.of(request) == Upload.Framing.NONE) resumeRequest();
        String route = routeName();
        Problem problem = switch (failure) {
            case CONNECT_REFUSED, CONNECT_TIMEOUT, CONNECT_FAILED -> Problem.unreachable(route, answeringBackend, requestId);
            case SERVICE_EJECTED -> Problem.ejected(route, answeringBackend, requestId);
            case RESPONSE_TIMEOUT -> Problem.timeout(route, answeringBackend, requestId);
            default -> Problem.failed(route, answeringBackend, requestId);
        };
        answerProblem(problem, failure);
    }

    /** The client's body broke off, was malformed or stalled: the backend's request was reset. */
    private void clientFailed(Failure failure) {
        if (finished) return;
        if (upload != null) upload.abort(failure);
        boolean canAnswer = !response.closed() && !response.headWritten();
        if (canAnswer && failure == Failure.CLIENT_BODY_TIMEOUT) {
            answerProblem(Problem.bodyTimeout(routeName(), requestId), failure);
        } else if (canAnswer && failure == Failure.BAD_REQUEST) {
            answerProblem(Problem.badRequest(requestId, "the request body is malformed"), failure);
        } else {
            // The client is gone: nothing more can be said on this connection.
            closeClient();
            finish(0, Optional.of(failure));
        }
    }

    private void answerProblem(Problem problem, Failure failure) {
        if (response.headWritten()) {
            closeClient();
            finish(response.getStatusCode(), Optional.of(failure));
            return;
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
                .putHeader(ProxyHeaders.REQUEST_ID, requestId);
        // A body we did not read to its end leaves the connection unusable for another request.
        boolean bodyLeft = Upload.Framing.of(request) != Upload.Framing.NONE && !request.isEnded();
        boolean close = ProxyHeaders.clientAsksToClose(request, accepted.connectionLines()) || bodyLeft;
        if (close && request.version() != HttpVersion.HTTP_2) response.putHeader(HttpHeaders.CONNECTION, "close");
        if (close) sayCloseToHttp10Client();
        response.end(problem.toJson()).onComplete(ar -> {
            if (close) closeClient();
            finish(problem.status(), Optional.of(failure));
        });
    }

    /** Puts the backend's response head on the client's response ({@link ResponseHead#relay}); returns whether to close the client's connection after it. */
    boolean relayHead(int status, String reason, MultiMap headers, int connectionLines) {
        boolean close = ResponseHead.relay(request, accepted, response, requestId, status, reason, headers, connectionLines);
        if (close) sayCloseToHttp10Client();
        return close;
    }

    /** An HTTP/1.0 client whose connection ends with this response is told so (Vert.x would say keep-alive). */
    private void sayCloseToHttp10Client() {
        if (request.version() == HttpVersion.HTTP_1_0) DebugHeaders.sayCloseToHttp10Client(response, state.config(), decision);
    }

    private void relay(HttpClientResponse backendResponse, long responseTimeoutMillis) {
        boolean close = relayHead(backendResponse.statusCode(), backendResponse.statusMessage(), backendResponse.headers(), ProxyHeaders.UNCOUNTED);
        CapturingWriteStream tee = shadowCopy == null ? null
                : new CapturingWriteStream(response, decision.route().orElseThrow().shadow().maxBodyBytes());
        bodyWatch = new BodyPauseWatch(clients.vertx(), tee == null ? response : tee, responseTimeoutMillis, () -> {
            if (backendRequest != null) backendRequest.reset(); // fails the pipe, which breaks the client's response off
        }).start();
        // Never endOnFailure: ending the client's response after a broken backend response would turn a
        // truncated chunked body into a complete one (the last chunk written by us).
        backendResponse.pipe().endOnFailure(false).to(bodyWatch).onComplete(ar -> {
            bodyWatch.stop();
            if (decision.tunnel()) Tunnel.closeDeclined(backendResponse.request()); // its connection is never reused
            if (finished) return;
            if (ar.succeeded()) {
                if (tee != null) shadowCopy.monolithAnswered(backendResponse.statusCode(), ShadowCopy.fieldsOf(backendResponse.headers()), tee.captured());
                boolean bodyLeft = upload != null && !upload.isComplete();
                if (bodyLeft) { // answered before the whole body: the rest is not wanted
                    // Closed before the upload's reset, which Vert.x takes, once the response has ended, for
                    // the end of the request: it would pool the connection still owing the body, and hand it
                    // at once to a request waiting for one (a 502). Closing takes it out of the pool first.
                    backendRequest.connection().close();
                    Upload unwanted = upload;
                    upload = null; // so its abort is not taken for the client's failure: the answer was whole
                    unwanted.abort(Failure.CLIENT_ABORTED);
                }
                if (close || bodyLeft) closeClient();
                finish(response.getStatusCode(), Optional.empty());
            } else {
                if (backendRequest != null) backendRequest.reset();
                responseBrokeOff(bodyWatch.timedOut() ? new TimeoutException("no response bytes for " + responseTimeoutMillis + " ms") : ar.cause());
            }
        });
    }

    /**
     * The backend's response broke off after its head went out: the only honest signal left is to
     * break the client's stream at once, so it never takes a truncated body for a whole one, nor waits for the rest.
     */
    void responseBrokeOff(Throwable cause) {
        Failure failure = BackendErrors.duringResponse(cause);
        LOG.warn("request {}: {} broke off its response ({}): {}", requestId, answeringBackend, failure.label(), cause.toString());
        closeClient();
        finish(response.getStatusCode(), Optional.of(failure));
    }

    /** Ends the client's exchange abruptly: HTTP/1.x closes the connection, HTTP/2 resets the stream. */
    void closeClient() {
        if (request.version() == HttpVersion.HTTP_2) {
            if (!response.ended()) response.reset();
        } else {
            request.connection().close();
        }
    }

    private void clientWentAway() {
        // An HTTP/2 stream reports "closed" as soon as both sides ended it, which can be before the
        // pipe hears that the last write completed: a response we ended is finished by the pipe.
        if (finished || response.ended()) return;
        // Finished before the reset: resetting the backend's request fails its response at once, and
        // answered() would take that for the backend's fault (a 502 "reset-by-backend", a failure
        // counted towards ejecting the endpoint, even a fallback to the monolith for a client gone).
        finish(0, Optional.of(Failure.CLIENT_ABORTED));
        if (upload != null && !upload.isComplete()) upload.abort(Failure.CLIENT_ABORTED); // resets the backend's request too
        // The whole request went out (aborting its upload is a no-op then): the reset closes the
        // connection mid-response, as the lean relay's abort does, rather than leave it half-read.
        else if (backendRequest != null) backendRequest.reset();
        else if (leanRelay != null) leanRelay.abort();
    }

    void finish(int status, Optional<Failure> failure) {
        if (finished) return;
        finished = true;
        if (bodyWatch != null) bodyWatch.stop();
        if (shadowCopy != null) shadowCopy.monolithFailed(); // no-op when the monolith's answer was complete
        releaseClient();
        onDone.run();
        // The client "went away" when its connection's guard refused the body after the head was
        // forwarded (a bad chunk): that request broke a rule, and is reported so. Asked only then.
        Rejection bodyRefused = failure.isPresent() && failure.get() == Failure.CLIENT_ABORTED
                ? GuardedListener.refusalOfBody(request) : null;
        observer.onComplete(new Outcome(requestId, request.method().name(), accepted.target().path(), routeName(), decision.stage(),
                answeringBackend == null ? Backend.MONOLITH : answeringBackend, status, System.nanoTime() - startNanos,
                request.bytesRead(), response.bytesWritten(), fallback, bodyRefused == null ? failure : BAD_REQUEST,
                bodyRefused == null ? Optional.empty() : Optional.of(bodyRefused.code()), clientKey(),
                observer.reads().contains(Extra.DETAILS) ? RequestDetails.of(request, upstream) : RequestDetails.NONE));
    }

    private static final Optional<Failure> BAD_REQUEST = Optional.of(Failure.BAD_REQUEST);

    /** A few header lookups, no hashing (the catalog hashes it if it keeps it); none when no observer reads it. */
    private String clientKey() {
        if (!observer.reads().contains(Extra.CLIENT_KEY)) return "";
        return state.clientKeys().keyOf(request.headers()::get).orElse("");
    }

    private void releaseClient() {
        if (client == null) return;
        clients.release(client);
        client = null;
    }

    private String routeName() {
        return decision.route().isPresent() ? decision.route().get().name() : Outcome.UNROUTED; // no Optional.map per request
    }
}
