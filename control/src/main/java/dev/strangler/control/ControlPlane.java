package dev.strangler.control;

import dev.strangler.control.catalog.CatalogRecorder;
import dev.strangler.control.controller.BackOff;
import dev.strangler.control.controller.ConnectProbe;
import dev.strangler.control.controller.Controller;
import dev.strangler.control.controller.StepGates;
import dev.strangler.core.plan.StepJudge;
import dev.strangler.control.view.ProgressSnapshots;
import dev.strangler.control.view.ReadModel;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.openapi.OpenApiImport;
import dev.strangler.control.sync.ShadowFlush;
import dev.strangler.control.sync.StateSync;
import dev.strangler.control.view.FleetShadow;
import dev.strangler.core.shadow.ShadowResults;
import dev.strangler.control.window.WindowRecorder;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.gateway.Gateway;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The control plane of one process: the state store, {@link Migration} (every move of a route),
 * the metric windows this gateway records, {@link StateSync} (keeps the gateway on the store), the
 * {@link Controller} and the endpoint catalog. It owns their lifecycle, in two phases because the
 * gateway sits in the middle:
 * <ol>
 *   <li>{@link #open}: the store is opened and the file reconciled with it, so the gateway starts
 *       where each route is ({@link #effective()}), and recording can begin ({@link #observers()});</li>
 *   <li>{@link #start}: once the gateway listens, the sync, the controller and the catalog run;</li>
 *   <li>{@link #close}: stops them, writes the last windows and closes the store.</li>
 * </ol>
 * The objects depend one way: the controller and the sync call {@link Migration}; it knows neither
 * and tells listeners of its changes. Every method blocks (database): not on an event loop.
 */
public final class ControlPlane implements AutoCloseable {
    private final StateStore store;
    private final Migration migration;
    private final WindowRecorder windows;
    private final GatewayConfig effective;
    private final Map<String, RouteState> states;
    private final List<EndpointKey> declared;
    private final Clock clock;
    private final BackOff backOff;
    private final String host;
    private final AtomicReference<CatalogRecorder> catalogRef = new AtomicReference<>();
    private StateSync sync;
    private Controller controller;
    private ReadModel readModel;
    private ScheduledExecutorService snapshots;

    private ControlPlane(StateStore store, Migration migration, WindowRecorder windows, GatewayConfig effective,
                         Map<String, RouteState> states, List<EndpointKey> declared, Clock clock, BackOff backOff, String host) {
        this.store = store;
        this.migration = migration;
        this.windows = windows;
        this.effective = effective;
        this.states = states;
        this.declared = declared;
        this.clock = clock;
        this.backOff = backOff;
        this.host = host;
    }

    /**
     * Opens the store and reconciles {@code config} with it. Blocking.
     *
     * @param host this machine's name, for the fleet's metric windows and catalog rows
     * @throws dev.strangler.control.openapi.OpenApiException for a bad OpenAPI seed of the catalog
     * @throws dev.strangler.store.StoreException             when the store cannot be opened or read
     */
    public static ControlPlane open(GatewayConfig config, Clock clock, BackOff backOff, String host, String instance) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(backOff, "backOff");
        // The monolith's declared endpoints seed the catalog; a bad document is refused like a bad config.
        List<EndpointKey> declared = config.catalog().enabled() && config.catalog().openapi().isPresent()
                ? OpenApiImport.read(config.catalog().openapi().get()) : List.of();
        StateStore store = StateStore.open(config.storeUrl());
        try {
            Migration migration = new Migration(store, config, clock, new StepGates(store, clock));
            GatewayConfig effective = migration.reconcile(config);
            Map<String, RouteState> states = migration.states();
            WindowRecorder windows = new WindowRecorder(host + ":" + instance, clock);
            return new ControlPlane(store, migration, windows, effective, states, declared, clock, backOff, host);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The file with each route at its runtime position: what the gateway starts with. */
    public GatewayConfig effective() {
        return effective;
    }

    /** What the control plane learns from each request: the metric windows, and the catalog once started. */
    public List<ExchangeObserver> observers() {
        if (!migration.file().catalog().enabled()) return List.of(windows);
        return List.of(windows, new ExchangeObserver() {
            @Override
            public void onComplete(Outcome outcome) {
                CatalogRecorder c = catalogRef.get();
                if (c != null) c.onComplete(outcome);
            }

            @Override
            public Set<Extra> reads() {
                return CatalogRecorder.READS;
            }
        });
    }

    /**
     * Starts following the store, the controller and the catalog, once the gateway serves; with
     * {@code shadowResults}, also writing this gateway's shadow results to the store (under the name of
     * its metric windows) and reading the fleet's back. The controller confirms suspected outages with
     * {@code probe} (a {@link dev.strangler.control.controller.VertxConnectProbe} in a running process).
     * Blocking.
     */
    public synchronized void start(Gateway gateway, Optional<ShadowResults> shadowResults, ConnectProbe probe) {
        if (sync != null) throw new IllegalStateException("the control plane is already started");
        GatewayConfig config = migration.file();
        Optional<ShadowFlush> shadowFlush = shadowResults.map(r -> new ShadowFlush(r, store, windows.gateway(), clock));
        Optional<FleetShadow> fleetShadow = shadowResults.map(r -> new FleetShadow(store, r, windows.gateway(), gateway::config, clock));
        sync = new StateSync(gateway, migration, windows, shadowFlush, states, clock);
        sync.start(config.controllerInterval());
        controller = new Controller(migration, store.leadership("controller"), clock, backOff, StepJudge::judge, probe);
        controller.start(config.controllerInterval());
        if (config.catalog().enabled()) {
            // The catalog's name for this gateway stays the same across restarts (host and port), so
            // the counts it stored go on.
            CatalogRecorder recorder = new CatalogRecorder(host + ":" + gateway.port(), store, clock, gateway.eventLoops());
            recorder.declare(declared);
            recorder.start(config.controllerInterval());
            catalogRef.set(recorder);
        }
        readModel = new ReadModel(gateway, migration, sync, controller, windows, catalog(), fleetShadow, clock);
        // The overview's progress line: the leader keeps a snapshot now and then (ProgressSnapshots.INTERVAL).
        ProgressSnapshots progress = new ProgressSnapshots(readModel::snapshot, store, controller::leading, clock,
                ProgressSnapshots.INTERVAL);
        long every = Math.max(1, config.controllerInterval().toMillis());
        snapshots = BackgroundThread.scheduler("strangler-progress");
        snapshots.scheduleWithFixedDelay(progress::look, every, every, TimeUnit.MILLISECONDS);
    }

    /** Present once started: the views the admin API and the dashboard show. */
    public ReadModel readModel() {
        return Objects.requireNonNull(readModel, "not started");
    }

    public StateStore store() {
        return store;
    }

    public Migration migration() {
        return migration;
    }

    public WindowRecorder windows() {
        return windows;
    }

    /** Present once started. */
    public StateSync sync() {
        return Objects.requireNonNull(sync, "not started");
    }

    /** Present once started. */
    public Controller controller() {
        return Objects.requireNonNull(controller, "not started");
    }

    public Optional<CatalogRecorder> catalog() {
        return Optional.ofNullable(catalogRef.get());
    }

    /** Stops the controller, the catalog and the sync (which writes the last windows), then the store. Blocking. */
    @Override
    public synchronized void close() {
        if (snapshots != null) snapshots.shutdownNow();
        if (controller != null) controller.close();
        CatalogRecorder c = catalogRef.get();
        if (c != null) c.close();
        if (sync != null) sync.close();
        store.close();
    }
}
