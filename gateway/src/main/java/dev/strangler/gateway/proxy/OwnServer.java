package dev.strangler.gateway.proxy;

import io.netty.channel.EventLoop;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The gateway's own HTTP/1.1 server path, one per listener: which event loop serves the requests
 * an {@link OwnConnection} reads itself. Each proxy verticle registers its loop when it starts
 * ({@link #serve}); a connection looks its loop up at its first request and hands every request it
 * takes to that verticle, as Vert.x would have.
 *
 * <p>On by default since issue 14's eleventh round (same-round runs: 1.00 to 1.12 × the throughput,
 * 0.79 to 0.90 × the p99 and 1.5 KB instead of 2.3 KB allocated per request against Vert.x's server;
 * docs/performance.md). {@code -Dstrangler.own-server=false} ({@link #SWITCH}) turns it off: an escape
 * hatch, not a config key and not part of the contract. Off, nothing of it is installed and every
 * connection is Vert.x's. Never on a TLS listener (the path reads cleartext HTTP/1.1 only).
 */
public final class OwnServer {
    public static final String SWITCH = "strangler.own-server";

    /** What a verticle serves own-path requests with, on its event loop; the connection tells {@code deadlines} of heads and ends itself. */
    record Loop(HeadDeadlines deadlines, Consumer<HttpServerRequest> handler) {}

    private final boolean enabled;
    private final Map<EventLoop, Loop> loops = new ConcurrentHashMap<>();
    /** The connections this path serves (Vert.x's server does not know them), for a shutdown to close. */
    private final Set<OwnConnection> connections = ConcurrentHashMap.newKeySet();

    OwnServer(boolean enabled) {
        this.enabled = enabled;
    }

    /** The switch as the JVM was started: on unless {@code -Dstrangler.own-server=false}, and never with TLS. */
    public static OwnServer fromSystemProperty(boolean tls) {
        return new OwnServer(!tls && requested());
    }

    /** Whether the path is wanted (whatever the listener): anything but {@code false} keeps the default, on. */
    public static boolean requested() {
        return !"false".equalsIgnoreCase(System.getProperty(SWITCH, "true").trim());
    }

    /** Whether the JVM was started with {@code -Dstrangler.own-server=true} spelt out, which a TLS listener is worth a word about. */
    public static boolean explicitlyRequested() {
        return "true".equalsIgnoreCase(System.getProperty(SWITCH, "").trim());
    }

    /** What the gateway's start line says of this path: nothing when it serves, else why it does not. */
    public String startNote() {
        if (enabled) return "";
        if (!requested()) return "; every request on Vert.x's server (-D" + SWITCH + "=false)";
        // Asked for and not enabled: the listener has TLS. Worth a word only when asked for in so many words.
        return explicitlyRequested() ? "; -D" + SWITCH + "=true ignored: the own server path serves cleartext only, this listener has TLS" : "";
    }

    /** Whether this listener serves plain requests on the own path (the switch on, no TLS). */
    public boolean isEnabled() {
        return enabled;
    }

    void serve(EventLoop eventLoop, Loop loop) {
        if (enabled) loops.put(eventLoop, loop);
    }

    void stopServing(EventLoop eventLoop) {
        loops.remove(eventLoop);
    }

    void opened(OwnConnection connection) {
        connections.add(connection);
    }

    void closed(OwnConnection connection) {
        connections.remove(connection);
    }

    /**
     * Call on {@code eventLoop}: its connections close once their response in flight ended (at once
     * when none is), as Vert.x's server shuts its HTTP/1.x connections down; {@code now} closes them at once.
     */
    void shutdown(EventLoop eventLoop, boolean now) {
        for (OwnConnection c : new ArrayList<>(connections)) if (c.eventLoop() == eventLoop) c.shutdown(now);
    }

    /** The loop serving connections of {@code eventLoop}; null when no verticle runs there (the connection then stays Vert.x's). */
    Loop loopOf(EventLoop eventLoop) {
        return loops.get(eventLoop);
    }
}
