package dev.strangler.gateway.proxy;

import dev.strangler.core.config.ClientTimeouts;
import dev.strangler.core.config.TlsFiles;
import dev.strangler.core.http.Rejection;
import dev.strangler.core.http.RequestCheck;
import dev.strangler.core.http.RequestRules;
import dev.strangler.core.stage.Decider;
import dev.strangler.core.stage.Decision;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.Outcome;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One event loop's share of the user listener. Every instance listens on the same address (Vert.x
 * spreads connections over them) and owns its backend clients. The request path reads here in
 * order: check → match and decide (pure, in core) → forward ({@link Exchange}) → observe.
 */
public final class ProxyVerticle extends VerticleBase {
    private final AtomicReference<RoutingState> routing;
    private final Decider decider;
    private final ExchangeObserver observer;
    private final AtomicInteger inFlight;
    private final String host;
    private final int port;
    private final Optional<TlsFiles> tls;
    private final io.vertx.core.Promise<Void> guarded;
    /** The gateway's own HTTP/1.1 server path, off unless switched on ({@link OwnServer#SWITCH}). */
    private final OwnServer ownServer;

    private HttpServer server;
    private BackendClients clients;
    private HeadDeadlines headDeadlines;
    private final ShadowLimits shadows = new ShadowLimits();
    /** Run when an exchange finished; made once, not per request. */
    private final Runnable requestDone;
    /**
     * Only this verticle's event loop handles its requests, so the ids' scratch digits are its own.
     * ThreadLocalRandom is looked up per id: the instance is only safe on the thread that asked for it.
     */
    private final RequestIds requestIds = new RequestIds(() -> ThreadLocalRandom.current().nextLong());

    public ProxyVerticle(AtomicReference<RoutingState> routing, Decider decider, ExchangeObserver observer,
                         AtomicInteger inFlight, String host, int port, Optional<TlsFiles> tls, io.vertx.core.Promise<Void> guarded,
                        OwnServer ownServer) {
        this.ownServer = ownServer;
        this.routing = routing;
        this.decider = decider;
        this.observer = observer;
        this.inFlight = inFlight;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.guarded = guarded;
        this.requestDone = inFlight::decrementAndGet;
    }

    @Override
    public Future<?> start() {
        clients = new BackendClients(vertx, () -> routing.get().backends(), System::nanoTime, LeanLoop.of(vertx, context));
        ClientTimeouts timeouts = routing.get().config().client();
        headDeadlines = new HeadDeadlines(vertx, timeouts);
        HttpServerOptions options = new HttpServerOptions()
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, timeouts.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setHttp2ClearTextEnabled(timeouts.cleartextHttp2())
                // Every exchange runs on the event loop that accepted it (clients are per event
                // loop), so the server may skip its cross-thread hand-offs.
                .setStrictThreadMode(true);
        tls.ifPresent(t -> options.setSsl(true).setUseAlpn(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.certificate().toString()).setKeyPath(t.key().toString())));
        server = vertx.createHttpServer(options)
                .connectionHandler(connection -> {
                    // Fail closed: a connection without the strict parser (only one racing the
                    // start-up priming can lack it) is not served.
                    if (!GuardedListener.install(connection, timeouts.headerTimeout().toMillis(), ownServer)) {
                        connection.close();
                    } else {
                        OwnConnection own = GuardedListener.ownServerOf(connection);
                        if (own == null || own.vertxConnected(connection)) headDeadlines.connected(connection);
                        MalformedStreams.watch(connection, this::reportMalformedStream);
                    }
                    guarded.tryComplete();
                })
                .invalidRequestHandler(this::refuseUnreadable)
                .requestHandler(this::headArrived);
        ownServer.serve(NettyBridge.eventLoop(context), new OwnServer.Loop(headDeadlines, this::handle));
        return server.listen();
    }

    /** A request's head arrived on Vert.x's server: its connection's head deadline stops, and it is served. */
    private void headArrived(HttpServerRequest request) {
        headDeadlines.headArrived(request);
        handle(request);
    }

    /**
     * Called after a new config was swapped in (from any thread): closes, on this verticle's event
     * loop, the backend clients the new config dropped, unless requests begun on the old config
     * still use them.
     */
    public void configApplied() {
        context.runOnContext(v -> clients.closeUnused());
    }

    public int actualPort() {
        return server.actualPort();
    }

    /** Stops accepting, lets in-flight requests finish for up to {@code drain}, then closes. */
    public Future<Void> drain(Duration drain) {
        if (ownServer.isEnabled()) context.runOnContext(v -> ownServer.shutdown(NettyBridge.eventLoop(context), false));
        return server.shutdown(drain.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).eventually(() -> clients.closeAll());
    }

    @Override
    public Future<?> stop() {
        if (ownServer.isEnabled()) {
            ownServer.stopServing(NettyBridge.eventLoop(context));
            ownServer.shutdown(NettyBridge.eventLoop(context), true);
        }
        return server.close().eventually(() -> clients.closeAll());
    }

    private void handle(HttpServerRequest request) {
        long start = System.nanoTime();
        if (request.version() == HttpVersion.HTTP_2) MalformedStreams.requestArrived(request);
        String requestId = requestIds.of(request.getHeader(ProxyHeaders.REQUEST_ID));
        Rejection refusedByGuard = GuardedListener.refusalOfNextRequest(request);
        RequestCheck check = refusedByGuard != null ? refusedByGuard : RequestRules.check(ServerRequestFacts.head(request));
        if (!(check instanceof RequestCheck.Accepted accepted)) {
            refuse(request, requestId, start, (Rejection) check, request.method().name(), String.valueOf(request.path()));
            return;
        }
        // Absolute-form: the target's authority replaces Host (RFC 9112 §3.2.2), for routing and for the backend.
        if (accepted.target().authority().isPresent() && request.version() != HttpVersion.HTTP_2)
            request.headers().set(HttpHeaders.HOST, accepted.authority());
        if (request.method() == HttpMethod.OPTIONS && answeredAsFinalRecipient(request, requestId, accepted, start)) return;
        RoutingState state = routing.get();
        ServerRequestFacts facts = new ServerRequestFacts(request, accepted);
        Decision decision = decider.decide(state.table(), facts);
        if (!state.table().routesAlikeWithoutParameters(facts, decision.route())) {
            refuse(request, requestId, start, AMBIGUOUS_PATH, request.method().name(), accepted.target().path());
            return;
        }
        DebugHeaders.addWhenEnabled(request.response(), state.config(), decision);
        inFlight.incrementAndGet();
        new Exchange(request, state, decision, clients, shadows, observer, requestDone, requestId, accepted, start).start();
    }

    /**
     * An OPTIONS request the gateway answers as the final recipient, with nothing forwarded: {@code 200},
     * {@code Allow} listing what it forwards, no content. So it answers {@code OPTIONS *} (RFC 9110
     * §9.3.7: about the server in general, and the server the client speaks to is the gateway; no
     * route nor backend owns a request without a path), whatever its {@code Max-Forwards}, and an
     * OPTIONS whose {@code Max-Forwards} is zero (RFC 9110 §7.6.2; {@link RequestRules} refused one
     * that is not a number); a positive value goes on one less. The connection stays open unless the
     * client asked to close it or sent a body, which is then left unread. Reported like the gateway's
     * refusals ({@code backend} {@code strangler}). Returns whether it answered.
     */
    private boolean answeredAsFinalRecipient(HttpServerRequest request, String requestId, RequestCheck.Accepted accepted, long start) {
        if (!accepted.target().isAsteriskForm()) {
            String maxForwards = request.getHeader(MAX_FORWARDS);
            if (maxForwards == null) return false;
            long left = RequestRules.maxForwards(maxForwards);
            if (left > 0) {
                request.headers().set(MAX_FORWARDS, Long.toString(left - 1));
                return false;
            }
        }
        boolean close = request.version() != HttpVersion.HTTP_2
                && (Upload.Framing.of(request) != Upload.Framing.NONE || ProxyHeaders.clientAsksToClose(request, accepted.connectionLines()));
        var response = request.response().setStatusCode(200)
                .putHeader(HttpHeaders.ALLOW, RequestRules.ALLOW)
                .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
                .putHeader(ProxyHeaders.REQUEST_ID, requestId);
        if (close) response.putHeader(HttpHeaders.CONNECTION, "close");
        response.end().onComplete(ar -> {
            if (close) request.connection().close();
        });
        observer.onComplete(new Outcome(requestId, request.method().name(), accepted.target().path(), Outcome.UNROUTED,
                Stage.MONOLITH, ANSWERED_HERE, 200, System.nanoTime() - start, 0, 0, false, ""));
        return true;
    }

    private static final String MAX_FORWARDS = "Max-Forwards";
    /** Refused rather than routed either way: which route the request belongs to depends on who reads the path. */
    private static final Rejection AMBIGUOUS_PATH = Rejection.badRequest(Rejection.Code.AMBIGUOUS_PATH,
            "the request path has ';' parameters inside it, and a servlet container, which drops them, would read it as"
                    + " a path of another route; send the path without them, or only on its last segment where the route's"
                    + " '**' or '{param}' takes them");
    /** The {@code backend} of what the gateway answers itself. */
    private static final String ANSWERED_HERE = "strangler";

    /**
     * A request Netty's decoder could not read (Vert.x hands it to the invalid-request handler, not
     * to {@link #handle}): a request line over 4096 bytes, a header section over 8192 (Vert.x's
     * limits, which the gateway keeps), or a head it could not parse. Refused as the gateway's own
     * refusals are, with the rule's name in the access log and the problem body, and counted the same
     * way; Vert.x's default handler answered 414, 431 or 400 with no log line and no count. It still
     * counts as one of the connection's requests for the guard, and when it is the synthetic request
     * standing for one the guard refused (its target too long to decode), the guard's rule is the one
     * broken. Its answer goes out on an {@code HTTP/1.1} status line, not on the version the decoder
     * made up for it ({@link StatusLineVersion}).
     */
    private void refuseUnreadable(HttpServerRequest request) {
        // A connection without a guard is closed unserved (see the connection handler): the start-up's
        // priming, whose bytes the decoder refuses on purpose, is no client's request.
        if (!GuardedListener.isGuarded(request)) {
            request.connection().close();
            return;
        }
        long start = System.nanoTime();
        Rejection refusedByGuard = GuardedListener.refusalOfNextRequest(request);
        UnreadableRequest unreadable = UnreadableRequest.of(request);
        GuardedListener.answerOnHttp11(request);
        refuse(request, requestIds.of(request.getHeader(ProxyHeaders.REQUEST_ID)), start,
                refusedByGuard != null ? refusedByGuard : unreadable.rejection(), unreadable.method(), unreadable.path());
    }

    /**
     * An HTTP/2 stream the codec reset ({@code RST_STREAM PROTOCOL_ERROR}) before it became a request,
     * which Vert.x reports nowhere ({@link MalformedStreams}): logged and counted as a refusal with
     * status 0 (no answer but the reset), its method and path unknown (its header block was refused).
     */
    private void reportMalformedStream(int streamId) {
        observer.onComplete(Outcome.refused(requestIds.of(null), "", "", ANSWERED_HERE, 0, 0, Rejection.Code.MALFORMED_H2_STREAM));
    }

    /**
     * Answers a request refused before anything was forwarded, with a problem body; over HTTP/1.x
     * the connection is closed after it (as NGINX does after a 400), since the bytes that follow a
     * request that could not be read with certainty cannot be trusted to start a request.
     * {@code method} and {@code path} are what the access log shows (empty when not known).
     */
    private void refuse(HttpServerRequest request, String requestId, long start, Rejection rejection, String method, String path) {
        Problem problem = Problem.refused(rejection, requestId);
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        var response = request.response().setStatusCode(rejection.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
                .putHeader(ProxyHeaders.REQUEST_ID, requestId);
        if (http1) response.putHeader(HttpHeaders.CONNECTION, "close");
        // RFC 9110 §15.5.6: a 405 says what is allowed.
        if (rejection.status() == 405) response.putHeader(HttpHeaders.ALLOW, RequestRules.ALLOW);
        response.end(problem.toJson()).onComplete(ar -> {
            if (http1) request.connection().close();
        });
        observer.onComplete(Outcome.refused(requestId, method, path, ANSWERED_HERE, rejection.status(), System.nanoTime() - start,
                rejection.code()));
    }
}
