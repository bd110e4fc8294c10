package dev.strangler.gateway.proxy;

import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.stage.Decision;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code X-Strangler-Route} and {@code X-Strangler-Stage} on the response to a routed request, when
 * {@code debug-headers: true}: which route claimed it and in which stage, to debug from a browser or
 * curl. Added just before the head is written, so they sit on whatever answered: a backend's
 * response or the gateway's own problem response. Requests no route claims get neither.
 */
final class DebugHeaders {
    static final String ROUTE = "X-Strangler-Route";
    static final String STAGE = "X-Strangler-Stage";

    private DebugHeaders() {
    }

    /** Arranges for the headers on {@code response} when {@code config} asks for them and a route claimed the request. */
    static void addWhenEnabled(HttpServerResponse response, GatewayConfig config, Decision decision) {
        if (wanted(config, decision)) response.headersEndHandler(v -> put(response, decision));
    }

    private static boolean wanted(GatewayConfig config, Decision decision) {
        return config.debugHeaders() && decision.route().isPresent();
    }

    private static void put(HttpServerResponse response, Decision decision) {
        response.putHeader(ROUTE, decision.route().orElseThrow().name()).putHeader(STAGE, decision.stage().configName());
    }

    /**
     * Makes the head of a response to an HTTP/1.0 client say {@code Connection: close}, for a
     * response the gateway ends by closing the connection. Vert.x's server writes
     * {@code Connection: keep-alive} on every response to an HTTP/1.0 client that asked for it, just
     * before the head goes out and after the headers were set, so only a headers-end handler can
     * correct it. A response has one such handler, so this one also puts the debug headers that
     * {@link #addWhenEnabled} arranged for.
     */
    static void sayCloseToHttp10Client(HttpServerResponse response, GatewayConfig config, Decision decision) {
        boolean debug = wanted(config, decision);
        response.headersEndHandler(v -> {
            response.headers().set(io.vertx.core.http.HttpHeaders.CONNECTION, "close");
            if (debug) put(response, decision);
        });
    }
}
