package dev.strangler.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;

/**
 * An upgraded connection (WebSocket or any other {@code Upgrade}) once the backend agreed with a
 * {@code 101}: the backend's {@code 101} head is relayed, then bytes flow both ways unchanged until
 * either side closes, which closes the other. Strangler does not parse what goes through: the
 * backend chosen at the handshake keeps the connection for its whole life.
 */
final class Tunnel {
    private final HttpServerRequest request;
    private final HttpClientResponse backendResponse;
    private final String requestId;

    Tunnel(HttpServerRequest request, HttpClientResponse backendResponse, String requestId) {
        this.request = request;
        this.backendResponse = backendResponse;
        this.requestId = requestId;
    }

    /**
     * Closes the backend connection of an upgrade the backend declined (any answer but a {@code 101},
     * relayed to the client as a plain response), once that answer was read.
     *
     * <p>Vert.x's {@code HttpClientRequest.connect()}, which sends the upgrade request, writes its head
     * and never ends the request. On an answer other than a {@code 101} Vert.x reads it as a plain
     * response, but its connection gives a stream back to the pool only once both the request and the
     * response have ended: the request never does, so the connection stayed leased for good, idle, to
     * the backend. Each declined upgrade took one of the backend's pooled connections, and once they
     * were all taken every later request over Vert.x's client to that backend waited for a connection.
     *
     * <p>Closed, not given back: RFC 9110 §7.8 lets the backend stay on HTTP/1.1, and NGINX keeps such an
     * upstream connection alive, but here the connection still carries a request Vert.x counts as open:
     * given back with a stream reset instead, it would skip Vert.x's keep-alive bookkeeping, which runs
     * only when a request ends (a backend's {@code Connection: close} on the answer would go unheeded).
     */
    static void closeDeclined(HttpClientRequest upgrade) {
        upgrade.connection().close();
    }

    /** Relays the {@code 101} and joins the two sockets; completes when the tunnel closes, failed if it could not open. */
    Future<Void> open() {
        var response = request.response();
        ProxyHeaders.replaceWithEndToEnd(backendResponse.headers(), response.headers());
        ProxyHeaders.keepUpgrade(backendResponse.headers(), response.headers()::set);
        response.headers().set(ProxyHeaders.REQUEST_ID, requestId);
        NetSocket backend = backendResponse.netSocket();
        Promise<Void> closed = Promise.promise();
        // The exchange paused the request (and so the client connection's reads) until a backend
        // answered; from here on the client's bytes are the tunnel's, so reading resumes.
        request.resume();
        request.toNetSocket().onComplete(ar -> {
            if (ar.failed()) {
                backend.close();
                closed.tryFail(ar.cause());
                return;
            }
            NetSocket client = ar.result();
            client.closeHandler(v -> {
                backend.close();
                closed.tryComplete();
            });
            backend.closeHandler(v -> {
                client.close();
                closed.tryComplete();
            });
            client.pipeTo(backend);
            backend.pipeTo(client);
        });
        return closed.future();
    }
}
