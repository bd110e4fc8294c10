package dev.strangler.gateway;

import java.util.concurrent.Callable;

/**
 * The two backend clients a gateway may carry a bodiless plain-http request on: the lean one and
 * Vert.x's HttpClient. The choice is read from {@code -Dstrangler.lean-backend} when a gateway's
 * verticle starts, so a test that pins both starts one gateway per client, whatever the JVM's own setting.
 */
enum BackendClient {
    LEAN, VERTX;

    private static final String SWITCH = "strangler.lean-backend";

    /** {@link #LEAN} when {@code lean}, else {@link #VERTX}: for tests parameterised by a boolean. */
    static BackendClient of(boolean lean) {
        return lean ? LEAN : VERTX;
    }

    /** Starts a gateway (with {@code start}) whose verticles read the switch as this client needs it; the JVM's own setting is put back. */
    GatewayInFront start(Callable<GatewayInFront> start) throws Exception {
        String before = System.getProperty(SWITCH);
        System.setProperty(SWITCH, this == LEAN ? "true" : "false");
        try {
            return start.call();
        } finally {
            if (before == null) System.clearProperty(SWITCH);
            else System.setProperty(SWITCH, before);
        }
    }
}
