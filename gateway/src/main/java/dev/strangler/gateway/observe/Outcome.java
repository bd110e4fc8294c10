package dev.strangler.gateway.observe;

import dev.strangler.core.config.Backend;
import dev.strangler.core.stage.Stage;

/**
 * What happened to one proxied request, handed to every {@link ExchangeObserver} when it ends.
 *
 * @param route       the route's name, or {@link #UNROUTED}
 * @param backend     {@code monolith} or the service's name: who produced the response
 * @param status      the status sent to the client; 0 when the client went away before one was sent
 * @param fellBack    the service failed before answering and the monolith answered instead
 * @param error       why Strangler itself failed the request ({@code connect}, {@code timeout}, {@code reset}), or empty
 * @param clientKey   who sent it, for the coupling between endpoints ({@code ClientKeys}): a sticky header or
 *                    cookie, a session cookie or a trace id, unhashed; empty when the request carries none
 */
public record Outcome(
        String requestId,
        String method,
        String path,
        String route,
        Stage stage,
        String backend,
        int status,
        long durationNanos,
        long bytesIn,
        long bytesOut,
        boolean fellBack,
        String error,
        String clientKey) {

    /** An outcome without a client key. */
    public Outcome(String requestId, String method, String path, String route, Stage stage, String backend, int status,
                   long durationNanos, long bytesIn, long bytesOut, boolean fellBack, String error) {
        this(requestId, method, path, route, stage, backend, status, durationNanos, bytesIn, bytesOut, fellBack, error, "");
    }

    /** Route label of requests no route claimed. Not a valid route name, so it cannot clash with one. */
    public static final String UNROUTED = "_unrouted";

    public int statusClass() {
        return status / 100;
    }

    /**
     * Whether the service was tried and failed without a usable answer (refused, connect timeout,
     * reset, response timeout) — also when the monolith then answered the user by fallback. Such a
     * request counts against the service in the controller's evidence whoever answered the user.
     */
    public boolean serviceFailedHard() {
        if (fellBack) return true;
        return !Backend.MONOLITH.equals(backend) && (error.equals("connect") || error.equals("timeout") || error.equals("reset"));
    }
}
