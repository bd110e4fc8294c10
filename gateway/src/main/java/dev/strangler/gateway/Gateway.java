package dev.strangler.gateway;

import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.stage.Decider;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.proxy.OwnServer;
import dev.strangler.gateway.proxy.ProxyVerticle;
import dev.strangler.gateway.proxy.RoutingState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The data plane: the user listener spread over event loops, the current routing state, and the
 * in-flight count that graceful shutdown waits on.
 */
public final class Gateway implements dev.strangler.gateway.reload.ConfigTarget {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final AtomicReference<RoutingState> routing;
    private final AtomicInteger inFlight;
    private final List<ProxyVerticle> verticles;
    private final List<String> deployments;
    private final int port;

    private Gateway(Vertx vertx, AtomicReference<RoutingState> routing, AtomicInteger inFlight,
                    List<ProxyVerticle> verticles, List<String> deployments, int port) {
        this.vertx = vertx;
        this.routing = routing;
        this.inFlight = inFlight;
        this.verticles = verticles;
        this.deployments = deployments;
        this.port = port;
    }

    /**
     * Starts the listener on {@code eventLoops} event loops.
     *
     * @param decider  routing decisions (its random source decides canary users without a sticky key)
     * @param observer sees every finished request (access log, metrics, ...)
     */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Decider decider, ExchangeObserver observer,
                                        int eventLoops) {
        Objects.requireNonNull(config, "config");
        if (eventLoops <= 0) throw new IllegalArgumentException("eventLoops: " + eventLoops + " (expected: > 0)");
        AtomicReference<RoutingState> routing = new AtomicReference<>(RoutingState.of(config));
        AtomicInteger inFlight = new AtomicInteger();
        List<ProxyVerticle> verticles = new CopyOnWriteArrayList<>();
        List<String> deployments = new ArrayList<>();
        String host = config.listen().host();
        // Every instance listens on the same host:port; Vert.x binds once and spreads connections over them.
        // Vert.x shares a listener between instances by the port they ask for, and port 0 is never shared
        // (each instance would get a random port of its own); a negative port is Vert.x's "a random port,
        // shared by all servers asking for this same number" (NetServerImpl.listen). A number of its own
        // per start, so two gateways in one Vert.x never share. (Reserving a free port with a socket of
        // our own, closing it and binding it again left a window in which another socket took it: a
        // BindException under load.)
        int askedPort = config.listen().port() == 0 ? -SHARED_RANDOM_PORTS.incrementAndGet() : config.listen().port();
        io.vertx.core.Promise<Void> guarded = io.vertx.core.Promise.promise();
        OwnServer ownServer = OwnServer.fromSystemProperty(config.tls().isPresent());
        return vertx.deployVerticle(() -> {
            ProxyVerticle v = new ProxyVerticle(routing, decider, observer, inFlight, host, askedPort, config.tls(), guarded, ownServer);
            verticles.add(v);
            return v;
        }, new DeploymentOptions().setInstances(eventLoops)).compose(id -> {
            deployments.add(id);
            int port = verticles.get(0).actualPort();
            return primeFramingGuard(vertx, host, port, config.tls().isPresent(), guarded.future()).map(port);
        }).map(port -> {
            LOG.info("gateway listening on {}:{} with {} routes over {} event loops{}", host, port, config.routes().size(), eventLoops,
                    ownServer.startNote());
            return new Gateway(vertx, routing, inFlight, verticles, deployments, port);
        });
    }

    /**
     * Opens and closes one connection to the listener, sending {@link #PRIMING_BYTES}, so that the strict
     * framing guard is installed on the listening channel before any user connects (see
     * {@code GuardedListener.install}). Fails the start when that does not happen within
     * {@link #GUARD_PRIMING_TIMEOUT_MS}: a gateway that cannot read requests strictly must not serve.
     */
    private static Future<Void> primeFramingGuard(Vertx vertx, String host, int port, boolean tls, Future<Void> guarded) {
        String loopback = host.equals("0.0.0.0") || host.isEmpty() ? "127.0.0.1" : host.equals("::") ? "::1" : host;
        var client = vertx.createNetClient(new io.vertx.core.net.NetClientOptions().setConnectTimeout((int) GUARD_PRIMING_TIMEOUT_MS)
                .setSsl(tls).setTrustAll(tls).setHostnameVerificationAlgorithm(""));
        return client.connect(port, loopback)
                .compose(socket -> socket.write(PRIMING_BYTES).compose(v -> guarded)
                        .timeout(GUARD_PRIMING_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
                        .eventually(socket::close))
                .recover(e -> Future.failedFuture(new IllegalStateException(
                        "could not install the strict request parser on " + loopback + ":" + port + ": " + e.getMessage(), e)))
                .eventually(client::close);
    }

    private static final long GUARD_PRIMING_TIMEOUT_MS = 10_000;
    /** Numbers the shared random ports of this process's gateways (see {@link #start}). */
    private static final AtomicInteger SHARED_RANDOM_PORTS = new AtomicInteger();
    /**
     * Vert.x creates the connection (and calls its connection handler) on the first message it
     * decodes; a request line without a version is one its decoder refuses by itself, and on this
     * connection, which has no guard, the invalid-request handler closes it unanswered, so it never
     * reaches the proxy, the access log or a backend.
     */
    private static final String PRIMING_BYTES = "PRIME\r\n\r\n";

    public int port() {
        return port;
    }

    /** The port each instance listens on: all {@link #port()} (for a test of the shared random port). */
    List<Integer> instancePorts() {
        return verticles.stream().map(ProxyVerticle::actualPort).toList();
    }

    /** The event loops the listener runs on: one proxy verticle each. */
    public int eventLoops() {
        return verticles.size();
    }

    @Override
    public GatewayConfig config() {
        return routing.get().config();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Swaps in a new, validated config. Requests already started finish on the old one, backend
     * connections included: a client the new config drops is closed once its last request is done.
     * Listener settings (address, TLS) are bound at start and need a restart; a change to them is
     * logged. Safe to call from any thread.
     */
    @Override
    public void apply(GatewayConfig next) {
        GatewayConfig previous = routing.get().config();
        if (!previous.listen().equals(next.listen()) || !previous.tls().equals(next.tls()) || !previous.client().equals(next.client()))
            LOG.warn("listen address, TLS or client timeouts changed in the config: that takes a restart; routes and backends were reloaded");
        routing.set(RoutingState.of(next));
        verticles.forEach(ProxyVerticle::configApplied);
        LOG.info("config applied: {} routes, {} services", next.routes().size(), next.services().size());
    }

    /**
     * Stops accepting connections, waits for in-flight requests up to the config's drain timeout,
     * then closes everything. Completes when done; never fails.
     */
    public Future<Void> shutdown() {
        var drain = routing.get().config().drainTimeout();
        LOG.info("draining {} in-flight requests (up to {})", inFlight.get(), drain);
        List<Future<Void>> draining = new ArrayList<>();
        for (ProxyVerticle v : verticles) draining.add(v.drain(drain));
        return Future.join(draining).transform(ar -> {
            List<Future<Void>> undeploying = new ArrayList<>();
            for (String id : deployments) undeploying.add(vertx.undeploy(id));
            return Future.join(undeploying);
        }).transform(ar -> Future.<Void>succeededFuture());
    }
}
