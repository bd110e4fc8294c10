package dev.strangler.gateway.observe;

import dev.strangler.core.config.Backend;
import dev.strangler.core.http.Rejection;
import dev.strangler.core.stage.Stage;

import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one proxied request, handed to every {@link ExchangeObserver} when it ends.
 *
 * @param route       the route's name, or {@link #UNROUTED}
 * @param backend     {@code monolith} or the service's name: who produced the response (the monolith after a fallback)
 * @param status      the status sent to the client; 0 when the client went away before one was sent
 * @param fallback    the service's failure that the monolith then answered for, if it did
 * @param failure     why the exchange itself did not end with a whole response, if it did not
 * @param refusal     the rule a refused request broke ({@link Failure#BAD_REQUEST}), if the gateway refused it:
 *                    before anything was forwarded, or in a body whose head was forwarded already. The
 *                    failure stays one of a few kinds (for metrics and the controller's evidence); the
 *                    rule is what the access log names ({@link #error()})
 * @param clientKey   who sent it, for the coupling between endpoints ({@code ClientKeys}): a sticky header or
 *                    cookie, a session cookie or a trace id, unhashed; empty when the request carries none
 * @param details     query, user agent, client address and upstream times, for the access log;
 *                    {@link RequestDetails#NONE} where not known
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
        Optional<BackendFailure> fallback,
        Optional<Failure> failure,
        Optional<Rejection.Code> refusal,
        String clientKey,
        RequestDetails details) {

    /** Route label of requests no route claimed. Not a valid route name, so it cannot clash with one. */
    public static final String UNROUTED = "_unrouted";

    /**
     * A backend that failed and how.
     *
     * @param backend {@code monolith} or the service's name
     * @param failure how it failed (a {@linkplain Failure#isBackendFault() backend fault})
     */
    public record BackendFailure(String backend, Failure failure) {
        public BackendFailure {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(failure, "failure");
        }
    }

    public Outcome {
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(details, "details");
        if (refusal.isPresent() && (failure.isEmpty() || failure.get() != Failure.BAD_REQUEST))
            throw new IllegalArgumentException("failure: " + failure.map(Failure::label).orElse("none") + " with refusal "
                    + refusal.get().label() + " (expected: bad-request)");
    }

    /** An outcome of a request the gateway did not refuse. */
    public Outcome(String requestId, String method, String path, String route, Stage stage, String backend, int status,
                   long durationNanos, long bytesIn, long bytesOut, Optional<BackendFailure> fallback, Optional<Failure> failure,
                   String clientKey, RequestDetails details) {
        this(requestId, method, path, route, stage, backend, status, durationNanos, bytesIn, bytesOut, fallback, failure,
                Optional.empty(), clientKey, details);
    }

    /**
     * A request refused before anything was forwarded ({@link Rejection}): not routed, answered by
     * {@code backend} (the gateway itself), its error the rule's name.
     */
    public static Outcome refused(String requestId, String method, String path, String backend, int status, long durationNanos,
                                  Rejection.Code rule) {
        return new Outcome(requestId, method, path, UNROUTED, Stage.MONOLITH, backend, status, durationNanos, 0, 0,
                Optional.empty(), Optional.of(Failure.BAD_REQUEST), Optional.of(rule), "", RequestDetails.NONE);
    }

    /** An outcome without details. */
    public Outcome(String requestId, String method, String path, String route, Stage stage, String backend, int status,
                   long durationNanos, long bytesIn, long bytesOut, Optional<BackendFailure> fallback, Optional<Failure> failure,
                   String clientKey) {
        this(requestId, method, path, route, stage, backend, status, durationNanos, bytesIn, bytesOut, fallback, failure,
                clientKey, RequestDetails.NONE);
    }

    /** An outcome without a client key. */
    public Outcome(String requestId, String method, String path, String route, Stage stage, String backend, int status,
                   long durationNanos, long bytesIn, long bytesOut, Optional<BackendFailure> fallback, Optional<Failure> failure) {
        this(requestId, method, path, route, stage, backend, status, durationNanos, bytesIn, bytesOut, fallback, failure, "");
    }

    /**
     * The form used before failures were typed, for callers that answer a request before any backend
     * was tried: {@code fellBack} must be false, {@code error} is a {@link Failure#label()} or empty
     * (a refused request names its rule: {@link #refused}).
     */
    public Outcome(String requestId, String method, String path, String route, Stage stage, String backend, int status,
                   long durationNanos, long bytesIn, long bytesOut, boolean fellBack, String error) {
        this(requestId, method, path, route, stage, backend, status, durationNanos, bytesIn, bytesOut,
                noFallback(fellBack), failureLabelled(error), "");
    }

    private static Optional<BackendFailure> noFallback(boolean fellBack) {
        if (fellBack) throw new IllegalArgumentException("fellBack: true (expected: false; name the failed service with BackendFailure)");
        return Optional.empty();
    }

    private static Optional<Failure> failureLabelled(String error) {
        if (error.isEmpty()) return Optional.empty();
        return Optional.of(Failure.ofLabel(error).orElseThrow(() -> new IllegalArgumentException(
                "error: \"" + error + "\" (expected: a Failure's label or empty; a refusal names its rule with Outcome.refused)")));
    }

    public int statusClass() {
        return status / 100;
    }

    /** Whether the monolith answered because the service failed. */
    public boolean fellBack() {
        return fallback.isPresent();
    }

    /**
     * The access log's {@code error} field: the broken rule's name for a refused request
     * ({@code content-length-with-transfer-encoding}, {@code bad-chunk}, ...), else the failure's
     * label, or empty. A constant string either way: nothing is made per request.
     */
    public String error() {
        if (refusal.isPresent()) return refusal.get().label();
        return failure.isPresent() ? failure.get().label() : "";
    }

    /**
     * Whether the service was tried and failed without a usable answer (refused, connect timeout,
     * reset, response timeout, truncated response) — also when the monolith then answered the user by
     * fallback. Such a request counts against the service in the controller's evidence whoever
     * answered the user. A client that went away is never the service's failure.
     */
    public boolean serviceFailedHard() {
        if (fallback.isPresent()) return true;
        return !Backend.MONOLITH.equals(backend) && failure.filter(Failure::isBackendFault).isPresent();
    }

    /** The backend that failed and how, counting a failure the fallback hid: for metrics. */
    public Optional<BackendFailure> backendFailure() {
        if (fallback.isPresent()) return fallback;
        return failure.filter(Failure::isBackendFault).map(f -> new BackendFailure(backend, f));
    }
}
