package dev.strangler.gateway.observe;

import java.util.Locale;
import java.util.Optional;

/**
 * Why an exchange did not end with a whole response from its backend. The {@link #label()} is what
 * the access log's {@code error} field and the {@code failure} metric label show (except for a refused
 * request, whose {@code error} names the rule it broke: {@link Outcome#refusal()}); labels are stable.
 */
public enum Failure {
    /** The backend refused the connection: nothing was sent. */
    CONNECT_REFUSED(Party.BACKEND, true),
    /** No connection within the backend's {@code connect-timeout}: nothing was sent. */
    CONNECT_TIMEOUT(Party.BACKEND, true),
    /** Any other failure to open a connection (TLS handshake, name resolution): nothing was sent. */
    CONNECT_FAILED(Party.BACKEND, true),
    /**
     * Not sent: every endpoint of the service is ejected after hard failures in a row (outlier
     * ejection), so the request went to the monolith by fallback or was answered 503 at once.
     */
    SERVICE_EJECTED(Party.BACKEND, true),
    /** No response head (or no response bytes for that long) within {@code response-timeout} after the request was sent. */
    RESPONSE_TIMEOUT(Party.BACKEND, false),
    /** The backend closed or reset the connection before its response head. */
    RESET_BY_BACKEND(Party.BACKEND, false),
    /** The backend's response stopped before its end (short of Content-Length, no last chunk). */
    TRUNCATED_RESPONSE(Party.BACKEND, false),
    /** The client went away, or its body broke off, before the exchange ended. */
    CLIENT_ABORTED(Party.CLIENT, false),
    /** The client sent no request-body bytes for {@code client.body-idle-timeout}. */
    CLIENT_BODY_TIMEOUT(Party.CLIENT, false),
    /**
     * Strangler refused the request as malformed: before choosing a backend, or when its body turned out
     * malformed. Which rule it broke is the outcome's {@link Outcome#refusal()}, kept apart so this set stays small.
     */
    BAD_REQUEST(Party.CLIENT, false);

    /** Whose fault it was: the backend's failures count against it; the client's do not. */
    public enum Party { BACKEND, CLIENT }

    private final Party party;
    private final boolean beforeSending;
    private final String label;

    Failure(Party party, boolean beforeSending) {
        this.party = party;
        this.beforeSending = beforeSending;
        this.label = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code connect-refused}, {@code response-timeout}, ...: the name in logs and metrics. */
    public String label() {
        return label;
    }

    /** Whether the backend was at fault: such a failure counts against it whoever answered the user. */
    public boolean isBackendFault() {
        return party == Party.BACKEND;
    }

    /** Whether the backend received nothing of the request, so it may be sent elsewhere whatever its method. */
    public boolean isBeforeSending() {
        return beforeSending;
    }

    /** The failure with this {@link #label()}, if any. */
    public static Optional<Failure> ofLabel(String label) {
        for (Failure f : values()) if (f.label.equals(label)) return Optional.of(f);
        return Optional.empty();
    }
}
