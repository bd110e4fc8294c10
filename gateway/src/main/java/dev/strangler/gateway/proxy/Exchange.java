package dev.strangler.gateway.proxy;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.rewrite.HostHeader;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Decision;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.Target;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.Outcome;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

import java.util.concurrent.TimeoutException;

/**
 * One request carried out according to its {@link Decision}: forward to the chosen backend,
 * stream the body both ways, fall back to the monolith once when allowed, answer problems for
 * failures, and report an {@link Outcome} exactly once.
 *
 * <p>Confined to the event loop that accepted the request, so its fields need no synchronisation.
 *
 * <h2>Fallback</h2>
 * The inbound request stays paused until a backend connection is obtained, so when the service
 * cannot be connected to, nothing was consumed and the monolith can be sent the very same stream.
 * After a <em>response</em> timeout the body has been sent already; the request is retried only if
 * its body was kept, which it is when fallback is allowed and the body is at most
 * {@link Defaults#FALLBACK_REPLAY_BYTES} (GET/HEAD/OPTIONS usually have none).
 */
final class Exchange {
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final RoutingState state;
    private final Decision decision;
    private final BackendClients clients;
    private final ShadowLimits shadows;
    private final ExchangeObserver observer;
    private final Runnable onDone;
    private final String requestId;
    private final String path;
    private final long startNanos;

    private HttpClientRequest backendRequest;
    /** The client of the current attempt, released when the attempt ends (fallback) or the exchange finishes. */
    private BackendClients.Client client;
    private String answeringBackend;
    private boolean fellBack;
    private boolean finished;
    /** The copy to the service while the route is in shadow; null otherwise or when not copied. */
    private ShadowCopy shadowCopy;

    Exchange(HttpServerRequest request, RoutingState state, Decision decision, BackendClients clients,
             ShadowLimits shadows, ExchangeObserver observer, Runnable onDone, String requestId, String path,
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
        this.path = path;
        this.startNanos = startNanos;
    }

    void start() {
        request.pause();
        response.closeHandler(v -> clientWentAway());
        request.exceptionHandler(e -> {
            if (backendRequest != null) backendRequest.reset(0, e);
        });
        boolean toService = decision.target() == Target.SERVICE;
        if (decision.route().isPresent() && isShadowed(decision.route().get(), toService)) {
            startShadowed(decision.route().get());
        } else if (toService && decision.fallbackToMonolith() && bodyFitsReplay()) {
            // Keep the (small) body so a response timeout can still be retried on the monolith.
            request.body().onComplete(ar -> {
                if (ar.succeeded()) send(true, ar.result(), true);
                else finish(0, "reset");
            });
            request.resume();
        } else {
            send(toService, null, toService && decision.fallbackToMonolith());
        }
    }

    /** In {@code shadow}, and in {@code canary} for the users the monolith serves when the route asks for it. */
    private boolean isShadowed(Route route, boolean toService) {
        return route.stage() == Stage.SHADOW || (route.stage() == Stage.CANARY && !toService && route.shadow().inCanary());
    }

    /**
     * The monolith answers the user as in the {@code monolith} stage; a copy goes to the service when
     * the route's settings allow it, and the two answers are compared once both are in.
     */
    private void startShadowed(Route route) {
        String method = request.method().name();
        String skip = !route.shadow().copies(method) ? "write-not-shadowed"
                : !bodyFits(route.shadow().maxBodyBytes()) ? "body-too-large"
                : shadows.tryAcquire(route);
        if (skip != null) {
            observer.onShadowDropped(route.name(), skip);
            send(false, null, false);
            return;
        }
        request.body().onComplete(ar -> {
            if (ar.failed()) {
                shadows.release(route);
                finish(0, "reset");
                return;
            }
            Backend service = state.config().service(route.service());
            BackendClients.Client serviceClient = clients.acquire(service);
            RequestOptions options = outbound(true, route, service, serviceClient.nextEndpoint());
            shadowCopy = new ShadowCopy(route.name(), method, request.uri(), shadows.differ(route), observer, () -> {
                clients.release(serviceClient);
                shadows.release(route);
            }, () -> shadows.markDown(route), route.shadow().maxBodyBytes());
            shadowCopy.send(serviceClient.http, options, ar.result());
            if (route.shadow().noiseCheck()) {
                Backend monolith = state.config().monolith();
                BackendClients.Client monolithClient = clients.acquire(monolith);
                shadowCopy.sendToMonolithAgain(monolithClient.http, outbound(false, route, monolith, monolithClient.nextEndpoint()),
                        ar.result(), () -> clients.release(monolithClient));
            }
            send(false, ar.result(), false);
        });
        request.resume();
    }

    private boolean bodyFitsReplay() {
        return bodyFits(Defaults.FALLBACK_REPLAY_BYTES);
    }

    private boolean bodyFits(int limit) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) return !hasStreamingBody();
        try {
            return Long.parseLong(length.trim()) <= limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private boolean hasStreamingBody() {
        if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) return true;
        if (request.version() != HttpVersion.HTTP_2) return false;
        String m = request.method().name();
        return !(m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS") || m.equals("DELETE"));
    }

    /**
     * Sends the request to the service or the monolith.
     *
     * @param body       the kept body, or null to stream the (still paused) inbound request
     * @param mayFallBack whether a failure before any response may be retried on the monolith
     */
    private void send(boolean toService, Buffer body, boolean mayFallBack) {
        Route route = decision.route().orElse(null);
        Backend backend = toService ? state.config().service(route.service()) : state.config().monolith();
        client = clients.acquire(backend);
        BackendClients.Endpoint endpoint = client.nextEndpoint();
        answeringBackend = backend.name();

        RequestOptions options = outbound(toService, route, backend, endpoint);

        client.http.request(options).onComplete(connected -> {
            if (finished) {
                if (connected.succeeded()) connected.result().reset();
                return;
            }
            if (connected.failed()) {
                failedBeforeResponse(connected.cause(), mayFallBack, body, true);
                return;
            }
            HttpClientRequest outbound = connected.result();
            backendRequest = outbound;
            final io.vertx.core.Future<HttpClientResponse> answered;
            if (body != null) {
                answered = outbound.send(body);
            } else {
                if (hasStreamingBody()) outbound.setChunked(true);
                answered = outbound.send(request);
            }
            answered.onComplete(ar -> {
                if (finished) return;
                if (ar.succeeded()) relay(ar.result());
                else failedBeforeResponse(ar.cause(), mayFallBack && body != null, body, false);
            });
        });
    }

    /** Where and with which headers a request for {@code backend} goes: path rewrite, forwarding headers, request id. */
    private RequestOptions outbound(boolean toService, Route route, Backend backend, BackendClients.Endpoint endpoint) {
        String uri = endpoint.basePath() + targetPath(toService, route) + (request.query() == null ? "" : "?" + request.query());
        MultiMap headers = ProxyHeaders.endToEnd(request.headers(), true);
        HostAndPort authority = request.authority();
        String clientHost = authority == null ? null
                : authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
        ProxyHeaders.addForwarded(headers, clientAddress(), request.scheme(), clientHost);
        headers.set(ProxyHeaders.REQUEST_ID, requestId);
        if (toService) ProxyHeaders.apply(route.requestHeaders(), headers);
        boolean serviceHost = toService && route.hostHeader() == HostHeader.SERVICE;
        headers.set(HttpHeaders.HOST, serviceHost || clientHost == null ? endpoint.authority() : clientHost);

        long timeout = backend.responseTimeout().toMillis();
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(endpoint.ssl())
                .setURI(uri)
                .setHeaders(headers)
                .setConnectTimeout(backend.connectTimeout().toMillis())
                .setIdleTimeout(timeout);
        return options;
    }

    private String targetPath(boolean toService, Route route) {
        if (!toService || route.rewrite().isEmpty()) return path;
        return route.rewrite().get().apply(route.match().path(), path);
    }

    private void failedBeforeResponse(Throwable cause, boolean mayFallBack, Buffer body, boolean nothingSent) {
        backendRequest = null;
        if (mayFallBack && !fellBack) {
            fellBack = true;
            releaseClient();
            // Nothing was consumed (connect failure) or the body was kept: the monolith gets the same request.
            send(false, body, false);
            return;
        }
        String route = routeName();
        boolean timeout = isTimeout(cause);
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        Problem problem = timeout
                ? Problem.timeout(route, answeringBackend, requestId, why)
                : nothingSent ? Problem.unreachable(route, answeringBackend, requestId, why)
                : Problem.failed(route, answeringBackend, requestId, why);
        answerProblem(problem, timeout ? "timeout" : nothingSent ? "connect" : "reset");
    }

    static boolean isTimeout(Throwable cause) {
        return cause instanceof TimeoutException || cause instanceof ConnectTimeoutException
                || cause.getClass().getSimpleName().contains("Timeout");
    }

    private void answerProblem(Problem problem, String error) {
        if (response.headWritten()) {
            response.reset();
            finish(response.getStatusCode(), error);
            return;
        }
        request.resume(); // drain what the client still sends, so the connection can be reused
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
                .putHeader(ProxyHeaders.REQUEST_ID, requestId);
        boolean close = ProxyHeaders.clientAsksToClose(request);
        if (close) response.putHeader(HttpHeaders.CONNECTION, "close");
        response.end(problem.toJson())
                .onComplete(ar -> {
                    if (close) request.connection().close();
                    finish(problem.status(), error);
                });
    }

    private void relay(HttpClientResponse backendResponse) {
        response.setStatusCode(backendResponse.statusCode());
        if (backendResponse.statusMessage() != null) response.setStatusMessage(backendResponse.statusMessage());
        response.headers().setAll(ProxyHeaders.endToEnd(backendResponse.headers(), false));
        response.headers().set(ProxyHeaders.REQUEST_ID, requestId);
        boolean close = ProxyHeaders.clientAsksToClose(request);
        if (close) response.headers().set(HttpHeaders.CONNECTION, "close");
        if (needsChunking(backendResponse)) response.setChunked(true);
        CapturingWriteStream tee = shadowCopy == null ? null
                : new CapturingWriteStream(response, decision.route().orElseThrow().shadow().maxBodyBytes());
        backendResponse.pipeTo(tee == null ? response : tee).onComplete(ar -> {
            if (ar.succeeded()) {
                if (tee != null) shadowCopy.monolithAnswered(backendResponse.statusCode(), backendResponse.headers(), tee.captured());
                if (close) request.connection().close();
                finish(response.getStatusCode(), "");
            } else {
                // The head went out already: the only honest signal left is to break the stream.
                if (!response.ended()) response.reset();
                finish(response.getStatusCode(), "reset");
            }
        });
    }

    private boolean needsChunking(HttpClientResponse backendResponse) {
        if (request.version() != HttpVersion.HTTP_1_1) return false;
        if (backendResponse.headers().contains(HttpHeaders.CONTENT_LENGTH)) return false;
        int status = backendResponse.statusCode();
        return request.method() != io.vertx.core.http.HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
    }

    private void clientWentAway() {
        // An HTTP/2 stream reports "closed" as soon as both sides ended it, which can be before the
        // pipe hears that the last write completed: a response we ended is finished by the pipe.
        if (finished || response.ended()) return;
        if (backendRequest != null) backendRequest.reset();
        finish(0, "client-closed");
    }

    private void finish(int status, String error) {
        if (finished) return;
        finished = true;
        if (shadowCopy != null) shadowCopy.monolithFailed(); // no-op when the monolith's answer was complete
        releaseClient();
        onDone.run();
        observer.onComplete(new Outcome(requestId, request.method().name(), path, routeName(), decision.stage(),
                answeringBackend == null ? Backend.MONOLITH : answeringBackend, status, System.nanoTime() - startNanos,
                request.bytesRead(), response.bytesWritten(), fellBack, error, clientKey()));
    }

    /** A few header lookups, no hashing: the catalog's thread hashes it. */
    private String clientKey() {
        return state.clientKeys().keyOf(request.headers()::get).orElse("");
    }

    private void releaseClient() {
        if (client == null) return;
        clients.release(client);
        client = null;
    }

    private String routeName() {
        return decision.route().map(Route::name).orElse(Outcome.UNROUTED);
    }

    private String clientAddress() {
        return request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    }
}
