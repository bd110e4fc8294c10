package dev.strangler.gateway.proxy;

import dev.strangler.gateway.observe.Failure;
import io.netty.channel.ConnectTimeoutException;

import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Names what a backend's exception means, by the phase of the exchange it happened in. */
final class BackendErrors {
    private BackendErrors() {}

    /** While obtaining a connection: nothing of the request was sent. */
    static Failure whileConnecting(Throwable cause) {
        if (isTimeout(cause)) return Failure.CONNECT_TIMEOUT;
        if (cause instanceof ConnectException) return Failure.CONNECT_REFUSED;
        return Failure.CONNECT_FAILED;
    }

    /** After the request (or part of it) was sent, before the response head. */
    static Failure beforeResponse(Throwable cause) {
        if (cause instanceof Upload.FailedUpload f) return f.failure;
        return isTimeout(cause) ? Failure.RESPONSE_TIMEOUT : Failure.RESET_BY_BACKEND;
    }

    /** While relaying the response body: the client already has the head. */
    static Failure duringResponse(Throwable cause) {
        return isTimeout(cause) ? Failure.RESPONSE_TIMEOUT : Failure.TRUNCATED_RESPONSE;
    }

    static boolean isTimeout(Throwable cause) {
        // A reset the gateway made itself carries its reason (Upload: the backend took none of the body in time).
        if (cause instanceof StreamResetException reset && reset.getCause() != null) cause = reset.getCause();
        return cause instanceof TimeoutException || cause instanceof ConnectTimeoutException
                || cause.getClass().getSimpleName().contains("Timeout");
    }
}
