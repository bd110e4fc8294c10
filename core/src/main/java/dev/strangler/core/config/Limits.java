package dev.strangler.core.config;

import java.time.Duration;

/**
 * The largest value each bounded config key accepts, and why. A value beyond these is a typo (an
 * extra zero, a unit mixed up) rather than an intent, and some would fail only at run time: a
 * duration is turned into milliseconds or nanoseconds by the data plane and Vert.x (an {@code int}
 * of milliseconds for connect timeouts), which overflows long before such values make sense.
 * {@code validate} refuses them with the limit in the message.
 */
public final class Limits {
    private Limits() {}

    /** Any duration key without a narrower limit: far below every overflow, far above every sensible setting. */
    public static final Duration DURATION = Duration.ofDays(365);
    /** {@code connect-timeout}: a TCP/TLS handshake that takes longer is not coming. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(10);
    /** {@code response-timeout}: time to a response head; long polls included. */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofDays(1);
    /** {@code shutdown.drain-timeout}: how long SIGTERM may wait; orchestrators kill long before. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofDays(1);
    /** {@code controller.interval}: the controller judges and windows are written this often, at least. */
    public static final Duration CONTROLLER_INTERVAL = Duration.ofHours(1);
    /** {@code controller.interval}: shorter only burns the store. */
    public static final Duration MIN_CONTROLLER_INTERVAL = Duration.ofMillis(100);
    /** {@code outlier.ejection-time} and {@code max-ejection-time}: a longer ejection is an outage, for the controller to act on. */
    public static final Duration OUTLIER_EJECTION_TIME = Duration.ofHours(1);
    /** {@code gates.min-time}: a step's minimum duration. */
    public static final Duration MIN_TIME = Duration.ofDays(90);
    /** {@code shadow.max-body-bytes}: buffered in memory per shadowed exchange, twice. */
    public static final int SHADOW_MAX_BODY_BYTES = 64 * 1024 * 1024;
}
