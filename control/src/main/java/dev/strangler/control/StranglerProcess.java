package dev.strangler.control;

import dev.strangler.control.admin.AdminServer;
import dev.strangler.control.admin.MigrationApi;
import dev.strangler.control.catalog.CatalogRecorder;
import dev.strangler.control.controller.BackOff;
import dev.strangler.control.controller.Controller;
import dev.strangler.control.controller.VertxConnectProbe;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.openapi.OpenApiException;
import dev.strangler.control.sync.StateSync;
import dev.strangler.control.window.WindowRecorder;
import dev.strangler.store.StoreException;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.config.HostPort;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.shadow.ShadowOptions;
import dev.strangler.core.shadow.ShadowResults;
import dev.strangler.core.stage.Decider;
import dev.strangler.gateway.Gateway;
import dev.strangler.gateway.observe.AccessLog;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.ProxyMetrics;
import dev.strangler.gateway.observe.ShadowRecorder;
import dev.strangler.control.view.FleetShadow;
import dev.strangler.gateway.reload.ConfigWatcher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * One running Strangler, wired in one place: a Vert.x instance whose own metrics (HTTP servers and
 * clients, pools, JVM) land in a Prometheus registry, the gateway reporting to that same registry
 * (and to the access log), and the admin server that exposes it. The CLI's {@code run} and
 * {@code demo} both start through here, so what an operator scrapes is what the tests scrape.
 *
 * <p>Start order is gateway, then admin; a failure stops whatever already started, closes the
 * Vert.x instance and fails with a {@link ListenFailure} naming the listener, so no half-started
 * process is left behind.
 */
public final class StranglerProcess {
    /** Which of the two listeners could not be opened. */
    public enum Listener {
        /** User traffic: {@code listen} in the config. */
        GATEWAY,
        /** The admin port: {@code admin.listen}. */
        ADMIN
    }

    /** A listener could not be opened (address in use, no permission, unknown host, ...). */
    public static final class ListenFailure extends RuntimeException {
        private final Listener listener;
        private final HostPort address;

        ListenFailure(Listener listener, HostPort address, Throwable cause) {
            super("cannot listen on " + address + " for " + (listener == Listener.GATEWAY ? "user traffic" : "the admin API")
                    + ": " + rootMessage(cause), cause);
            this.listener = listener;
            this.address = address;
        }

        public Listener listener() {
            return listener;
        }

        public HostPort address() {
            return address;
        }

        /** Whether another process holds the address: the one failure a different port fixes. */
        public boolean isAddressInUse() {
            for (Throwable t = getCause(); t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException) return true;
                if (t.getMessage() != null && t.getMessage().contains("Address already in use")) return true;
            }
            return false;
        }

        private static String rootMessage(Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            return root.getMessage() != null ? root.getMessage() : root.toString();
        }
    }

    /** Query parameters, form fields, headers and JSON fields redacted from shadow samples by default. */
    public static final List<String> DEFAULT_REDACTED_NAMES = List.of("password", "passwd", "secret", "token",
            "access_token", "refresh_token", "id_token", "api_key", "apikey", "client_secret", "x-api-key");

    private static final Logger LOG = LoggerFactory.getLogger(StranglerProcess.class);

    /**
     * How a process runs apart from its config file: event loops, and the time and randomness it
     * sees. Tests pass a fixed clock or a seeded random source; {@link #defaults} is production.
     *
     * @param eventLoops the gateway's event loops (> 0)
     * @param clock      what the controller, the windows, the audit log and the catalog read time from
     * @param random     canary draws for requests without a sticky key; must be thread-safe
     * @param backOff    how long an automatically rolled-back route is held ({@link BackOff#DEFAULT})
     */
    public record Options(int eventLoops, Clock clock, RandomGenerator random, BackOff backOff) {
        public Options {
            if (eventLoops <= 0) throw new IllegalArgumentException("eventLoops: " + eventLoops + " (expected: > 0)");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(random, "random");
            Objects.requireNonNull(backOff, "backOff");
        }

        /**
         * The system clock, canary draws from a thread-local source (no contention between event
         * loops) and the default back-off.
         */
        public static Options defaults(int eventLoops) {
            return new Options(eventLoops, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextLong(), BackOff.DEFAULT);
        }

        public Options withClock(Clock c) {
            return new Options(eventLoops, c, random, backOff);
        }

        public Options withRandom(RandomGenerator r) {
            return new Options(eventLoops, clock, r, backOff);
        }

        public Options withBackOff(BackOff b) {
            return new Options(eventLoops, clock, random, b);
        }
    }

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final Gateway gateway;
    private final AdminServer admin;
    private final Optional<AccessLog> accessLog;
    private final Optional<ConfigWatcher> watcher;
    private final ControlPlane control;

    private StranglerProcess(Vertx vertx, PrometheusMeterRegistry registry, Gateway gateway, AdminServer admin,
                             Optional<AccessLog> accessLog, Optional<ConfigWatcher> watcher, ControlPlane control) {
        this.control = control;
        this.accessLog = accessLog;
        this.watcher = watcher;
        this.vertx = vertx;
        this.registry = registry;
        this.gateway = gateway;
        this.admin = admin;
    }

    /** Starts with {@link Options#defaults}. */
    public static Future<StranglerProcess> start(GatewayConfig config, int eventLoops) {
        return start(config, Options.defaults(eventLoops));
    }

    /** Starts with {@link Options#defaults} but for the canary draws' source (thread-safe). */
    public static Future<StranglerProcess> start(GatewayConfig config, int eventLoops, RandomGenerator random) {
        return start(config, Options.defaults(eventLoops).withRandom(random));
    }

    /**
     * Starts the control plane (store, reconcile), the gateway and the admin server, in that order;
     * each owns its lifecycle, and a failure closes whatever already started.
     *
     * @throws IllegalArgumentException before anything starts, when the admin settings are unsafe
     *                                  (see {@link AdminServer#requireSafeExposure})
     */
    public static Future<StranglerProcess> start(GatewayConfig config, Options options) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        AdminServer.requireSafeExposure(config.admin());

        // The store says where each route is now; the gateway starts there, not where the file was
        // written (DESIGN: file versus runtime state). Opening it blocks, once, before anything listens.
        String host = hostName(); // may ask the resolver: here, before any event loop runs
        ControlPlane control;
        try {
            control = ControlPlane.open(config, options.clock(), options.backOff(), host, ProcessHandle.current().pid() + ":"
                    + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36));
        } catch (OpenApiException | StoreException e) {
            return Future.failedFuture(e);
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = vertx(registry);
        List<ExchangeObserver> observers = new ArrayList<>();
        observers.add(new ProxyMetrics(registry));
        // Samples keep real traffic: credentials never reach them (the four credential headers always,
        // and parameters or JSON fields with these usual secret names).
        // Names the routes add (shadow.redact) join them; read at start, like the access-log switch.
        List<String> redacted = new ArrayList<>(DEFAULT_REDACTED_NAMES);
        config.routes().forEach(r -> redacted.addAll(r.shadow().redact()));
        Redactor redactor = Redactor.of(redacted.stream().distinct().toArray(String[]::new));
        ShadowResults shadowResults = new ShadowResults(ShadowOptions.DEFAULTS, redactor);
        // Comparisons go under the route's service as served now (a reload to another service starts fresh results).
        AtomicReference<Gateway> serving = new AtomicReference<>();
        observers.add(new ShadowRecorder(shadowResults, redactor, control.windows()::shadowCounted, route -> {
            Gateway g = serving.get();
            return FleetShadow.keyOf(g != null ? g.config() : control.effective(), route);
        }));
        observers.addAll(control.observers());
        // The access-log switch is read at start; a reload does not turn it on or off.
        Optional<AccessLog> accessLog = config.accessLog() ? Optional.of(new AccessLog(redactor)) : Optional.empty();
        accessLog.ifPresent(observers::add);

        // Completed outside any Vert.x context: a failure closes Vert.x, and a future bound to one of
        // its event loops would then never tell its listeners.
        Promise<StranglerProcess> started = Promise.promise();
        Gateway.start(vertx, control.effective(), new Decider(options.random()), ExchangeObserver.all(observers), options.eventLoops())
                .recover(e -> Future.failedFuture(new ListenFailure(Listener.GATEWAY, config.listen(), e)))
                .compose(gateway -> {
                    Gauge.builder("strangler_proxy_in_flight", gateway, Gateway::inFlight)
                            .description("Requests the gateway is serving right now")
                            .register(registry);
                    // Starting the control plane blocks (PostgreSQL's LISTEN connection, the leader's
                    // session): off the event loop, which is already serving users.
                    serving.set(gateway);
                    return vertx.executeBlocking(() -> {
                        control.start(gateway, Optional.of(shadowResults), new VertxConnectProbe(vertx));
                        return control;
                    }, false).compose(ignored -> {
                        MigrationApi api = new MigrationApi(vertx, control.migration(), control.readModel(), control.sync(),
                                control.controller(), control.catalog(), options.clock());
                        // A config read from a file follows that file: edits are validated, reconciled with
                        // the store and swapped in.
                        Optional<ConfigWatcher> watcher = config.source().map(file -> new ConfigWatcher(control.sync(), file));
                        return AdminServer.start(vertx, config.admin(), gateway, registry,
                                        () -> watcher.flatMap(ConfigWatcher::lastReload), shadowResults, Optional.of(api))
                                .compose(admin -> watcher.map(ConfigWatcher::start).orElse(Future.succeededFuture())
                                        .map(ignored2 -> new StranglerProcess(vertx, registry, gateway, admin, accessLog, watcher, control)))
                                .recover(e -> gateway.shutdown()
                                        .transform(ignored2 -> Future.failedFuture(
                                                new ListenFailure(Listener.ADMIN, config.admin().listen(), e))));
                    });
                })
                .onSuccess(started::complete)
                .onFailure(e -> vertx.close().onComplete(closed -> {
                    control.close(); // Vert.x is gone: nothing left to block but this callback
                    accessLog.ifPresent(AccessLog::close);
                    registry.close();
                    started.fail(e);
                }));
        return started.future();
    }

    /** A Vert.x whose own metrics (pools, verticles, the JVM) land in {@code registry}. */
    private static Vertx vertx(PrometheusMeterRegistry registry) {
        Vertx vertx = Vertx.builder()
                // epoll where it loads (Linux; the gateway ships it), NIO elsewhere.
                .with(new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(new MicrometerMetricsOptions()
                        .setEnabled(true)
                        .setJvmMetricsEnabled(true)
                        // Per-request HTTP and per-read socket meters cost the proxy a tenth of its
                        // throughput (measured: bench/proxy.sh, JFR) and repeat what the route-level
                        // strangler_proxy_* meters say; pools, verticles and the JVM stay visible.
                        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
                        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
                        .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
                        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
                        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
                        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        if (vertx.isNativeTransportEnabled()) LOG.info("network transport: native");
        else LOG.info("network transport: NIO (native unavailable: {})", vertx.unavailableNativeTransportCause());
        return vertx;
    }

    /**
     * This machine's name, for the fleet's metric windows and catalog rows. {@code HOSTNAME} is often
     * not exported (bash sets it unexported; systemd does not set it), so the resolver's answer is
     * the fallback: two machines must not write the catalog under the same name.
     */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** The store, the moves, the sync, the controller and the catalog of this process. */
    public ControlPlane control() {
        return control;
    }

    /** Learns the endpoint catalog from the traffic; empty when {@code catalog.enabled} is false. */
    public Optional<CatalogRecorder> catalog() {
        return control.catalog();
    }

    /** Where each route is and how to move it (blocking: call on worker threads). */
    public Migration migration() {
        return control.migration();
    }

    /** Keeps this gateway on the store's state; its status is what /health reports. */
    public StateSync sync() {
        return control.sync();
    }

    public Controller controller() {
        return control.controller();
    }

    public WindowRecorder windows() {
        return control.windows();
    }

    /** Follows the config file for edits; present when the config was read from a file. */
    public Optional<ConfigWatcher> watcher() {
        return watcher;
    }

    public Gateway gateway() {
        return gateway;
    }

    /** The port user traffic is served on (the OS's pick when the config said 0). */
    public int port() {
        return gateway.port();
    }

    /** The admin port (the OS's pick when the config said 0). */
    public int adminPort() {
        return admin.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * Drains the gateway (bounded by the config's drain timeout), then closes the admin server and
     * Vert.x. The admin server stays up while draining so {@code /health} shows the in-flight
     * count going down. Never fails.
     */
    public Future<Void> stop() {
        Promise<Void> stopped = Promise.promise(); // outside any context, as in start
        watcher.map(ConfigWatcher::stop).orElse(Future.succeededFuture())
                .transform(ignored -> gateway.shutdown())
                .eventually(admin::stop)
                // Blocking (last windows, closing connections): not on an event loop.
                .transform(ignored -> vertx.executeBlocking(() -> {
                    control.close();
                    return null;
                }, false))
                .onComplete(ignored -> vertx.close().onComplete(closed -> {
                    accessLog.ifPresent(AccessLog::close); // every drained request's line is written
                    registry.close();
                    stopped.complete();
                }));
        return stopped.future();
    }
}
