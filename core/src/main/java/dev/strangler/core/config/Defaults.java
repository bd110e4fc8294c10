package dev.strangler.core.config;

import java.time.Duration;

/** Every default of the config file, in one place. README's configuration reference lists the same values. */
public final class Defaults {
    private Defaults() {}

    /** {@code listen}: user traffic. */
    public static final String LISTEN = "0.0.0.0:8080";
    /** {@code admin.listen}: loopback, so the admin API is private unless an operator opens it. */
    public static final String ADMIN_LISTEN = "127.0.0.1:9090";
    /** {@code store.url}: an embedded H2 file beside the working directory. */
    public static final String STORE_URL = "jdbc:h2:file:./strangler-data/state";
    /** {@code connect-timeout} of a backend. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /**
     * {@code response-timeout} of a backend: from the end of sending the request (its whole body) to
     * the response head, and the longest pause between two parts of the response body.
     */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** {@code max-connections} of a backend, per event loop. */
    public static final int MAX_CONNECTIONS = 128;
    /** {@code outlier.consecutive-failures} of a service: hard failures in a row that eject an endpoint. */
    public static final int OUTLIER_CONSECUTIVE_FAILURES = 5;
    /** {@code outlier.ejection-time} of a service: the first ejection; the n-th in a row lasts n times as long. */
    public static final Duration OUTLIER_EJECTION_TIME = Duration.ofSeconds(10);
    /** {@code outlier.max-ejection-time} of a service: the longest one ejection lasts. */
    public static final Duration OUTLIER_MAX_EJECTION_TIME = Duration.ofMinutes(5);
    /** {@code shutdown.drain-timeout}: how long SIGTERM waits for in-flight requests. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** {@code percent} of a canary route that names none. */
    public static final double CANARY_PERCENT = 0;
    /**
     * Request bodies up to this size are kept while a {@code live} request is in flight so that a
     * fallback to the monolith after a response timeout can replay them. Larger bodies are still
     * streamed, and still fall back when the service cannot be connected to (nothing was sent yet).
     */
    public static final int FALLBACK_REPLAY_BYTES = 64 * 1024;
    /** {@code controller.interval}: how often the controller judges routes and gateways write their metric windows. */
    public static final Duration CONTROLLER_INTERVAL = Duration.ofSeconds(10);
    /** {@code catalog}: learn the endpoint catalog (Analyze) from every request; no OpenAPI seed. */
    public static final CatalogSettings CATALOG = new CatalogSettings(true, java.util.Optional.empty());
    /** {@code client.header-timeout}: a new connection's first request head must be whole within this (NGINX: 60 s). */
    public static final Duration CLIENT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** {@code client.idle-timeout}: a connection with nothing read or written for this long is closed (NGINX keep-alive: 75 s). */
    public static final Duration CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** {@code client.body-idle-timeout}: the longest pause between two parts of a request body (NGINX: 60 s). */
    public static final Duration CLIENT_BODY_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** {@code client}: all three client timeouts at their defaults. */
    public static final ClientTimeouts CLIENT = new ClientTimeouts(CLIENT_HEADER_TIMEOUT, CLIENT_IDLE_TIMEOUT,
            CLIENT_BODY_IDLE_TIMEOUT);
    /** {@code access-log}: one JSON line per request on the {@code strangler.access} logger. */
    public static final boolean ACCESS_LOG = true;
    /**
     * {@code debug-headers}: responses to routed requests carry {@code X-Strangler-Route} and
     * {@code X-Strangler-Stage}. Off by default: they tell anyone on the internet how the API is being moved.
     */
    public static final boolean DEBUG_HEADERS = false;
}
