package dev.strangler.control.view;

import dev.strangler.control.catalog.CatalogRecorder;
import dev.strangler.control.controller.Controller;
import dev.strangler.control.controller.Evidence;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.migration.MigrationException;
import dev.strangler.control.sync.StateSync;
import dev.strangler.control.window.WindowRecorder;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.PilotRanking;
import dev.strangler.core.catalog.Progress;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.core.plan.Transitions;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.Gateway;
import dev.strangler.store.MetricWindow;
import dev.strangler.store.ProgressSnapshot;
import dev.strangler.store.RouteDecision;
import dev.strangler.store.RouteState;
import dev.strangler.store.StoreException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds every view of the read model, in one place, from the store (the fleet's truth) and this
 * gateway's own state where the store cannot be read: routes with their numbers since their step
 * began, the controller's judgements, the audit log, progress and the catalog.
 *
 * <p>When the store cannot be read, a route view still shows the last known position, and says so
 * ({@link Numbers#STORE_UNREACHABLE}) instead of numbers. Every method blocks on the database: call
 * them on worker threads.
 */
public final class ReadModel {
    /** How many unclaimed endpoints the overview lists (busiest first); the catalog page has them all. */
    public static final int UNCLAIMED_SHOWN = 20;
    /** How far back the overview's progress line goes. */
    public static final Duration HISTORY = Duration.ofDays(365);
    /** The service's error rate above which a route counts as failing, when also above the monolith's. */
    static final double FAILING_ERROR_RATE = 0.05;

    private final Gateway gateway;
    private final Migration migration;
    private final StateSync sync;
    private final Controller controller;
    private final WindowRecorder windows;
    private final Optional<CatalogRecorder> catalog;
    private final Clock clock;
    private final Optional<FleetShadow> shadow;

    public ReadModel(Gateway gateway, Migration migration, StateSync sync, Controller controller, WindowRecorder windows,
                     Optional<CatalogRecorder> catalog, Clock clock) {
        this(gateway, migration, sync, controller, windows, catalog, Optional.empty(), clock);
    }

    /** @param shadow the fleet's shadow results; empty where this process records none */
    public ReadModel(Gateway gateway, Migration migration, StateSync sync, Controller controller, WindowRecorder windows,
                     Optional<CatalogRecorder> catalog, Optional<FleetShadow> shadow, Clock clock) {
        this.shadow = Objects.requireNonNull(shadow, "shadow");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.migration = Objects.requireNonNull(migration, "migration");
        this.sync = Objects.requireNonNull(sync, "sync");
        this.controller = Objects.requireNonNull(controller, "controller");
        this.windows = Objects.requireNonNull(windows, "windows");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- routes ----------------------------------------------------------------------------

    /** Every route of the config, in config order. Blocking. */
    public List<RouteView> routes() {
        Map<String, RouteState> states = new HashMap<>();
        boolean reachable = readStates(states);
        Optional<Map<String, List<MetricWindow>>> byRoute = reachable ? windowsByRoute(states.values()) : Optional.empty();
        Map<String, RouteDecision> decisions = decisions(states);
        List<RouteView> out = new ArrayList<>();
        for (Route r : gateway.config().routes()) {
            out.add(view(r, Optional.ofNullable(states.get(r.name())),
                    byRoute.map(m -> m.getOrDefault(r.name(), List.of())), decisions));
        }
        return out;
    }

    /** One route. Blocking. @throws MigrationException.UnknownRoute naming the routes there are */
    public RouteView route(String name) {
        Route r = configRoute(name);
        Map<String, RouteState> states = new HashMap<>();
        boolean reachable = readStates(states);
        return viewOne(r, Optional.ofNullable(states.get(r.name())), reachable);
    }

    /** One route as a change just left it. Blocking. */
    public RouteView route(RouteState state) {
        return viewOne(configRoute(state.route()), Optional.of(state), true);
    }

    /** One route, reading only its own windows. */
    private RouteView viewOne(Route r, Optional<RouteState> state, boolean reachable) {
        Optional<List<MetricWindow>> stored = Optional.empty();
        if (reachable && state.isPresent()) {
            try {
                stored = Optional.of(migration.store().windows(r.name(), state.get().enteredAt()));
            } catch (StoreException unreachable) {
                stored = Optional.empty();
            }
        }
        return view(r, state, stored, decisions(state.map(s -> Map.of(s.route(), s)).orElse(Map.of())));
    }

    /**
     * The position is the stored one (what a change just made says), which this gateway serves a
     * moment later. {@code stored} is empty when the store could not be read: no window then.
     */
    private RouteView view(Route r, Optional<RouteState> state, Optional<List<MetricWindow>> stored,
                           Map<String, RouteDecision> decisions) {
        Position at = state.map(Migration::position).orElse(r.position());
        Instant now = clock.instant();
        Optional<HoldView> hold = state.filter(s -> s.heldAt(now)).map(s -> {
            Instant until = s.hold().orElseThrow().until();
            return new HoldView(until, "held after rollback until " + until + " (`strangler resume " + r.name() + "` lifts it)");
        });
        boolean paused = state.map(RouteState::paused).orElse(false);
        Automation automation = !r.plan().automate() ? Automation.MANUAL : paused ? Automation.PAUSED
                : hold.isPresent() ? Automation.HELD : Automation.AUTO;
        Numbers numbers;
        Optional<WindowView> window = Optional.empty();
        if (state.isEmpty()) {
            numbers = Numbers.NOT_STARTED;
        } else if (stored.isEmpty()) {
            numbers = Numbers.STORE_UNREACHABLE;
        } else {
            numbers = Numbers.MEASURED;
            Instant since = state.get().enteredAt();
            List<MetricWindow> seen = new ArrayList<>();
            for (MetricWindow w : stored.get()) if (!w.start().isBefore(since)) seen.add(w);
            for (MetricWindow w : windows.peek()) { // this gateway's requests not yet written
                if (w.route().equals(r.name()) && !w.start().isBefore(since)) seen.add(w);
            }
            window = Optional.of(window(Evidence.of(seen, since, now)));
        }
        Optional<JudgementView> judgement = Optional.ofNullable(decisions.get(r.name()))
                .map(d -> new JudgementView(d.at(), d.action(), d.summary(), d.evidence()));
        int rollbacks = state.map(RouteState::automaticRollbacks).orElse(0);
        return new RouteView(r.name(), r.service(), at.stage().configName(), PositionView.of(at).percent(), automation,
                paused, r.plan().automate(), r.match().path().toString(), r.match().methods().stream().sorted().toList(),
                state.map(RouteState::enteredAt), hold, rollbacks,
                Transitions.next(at, r.plan()).map(PositionView::of), r.plan().steps(), numbers, window, judgement,
                problem(hold, rollbacks, judgement, window),
                state.map(RouteState::stickyHash).orElse(BucketFunction.NGINX).configName());
    }

    // ---- shadow results ----------------------------------------------------------------------

    /**
     * The shadow results of a route against its current service, summed over the fleet, with the older
     * results against other services; empty when no gateway compared anything for it (a route no
     * longer in the config still shows what is kept of it, all as older results). Blocking.
     */
    public Optional<ShadowReport> shadow(String route) {
        Objects.requireNonNull(route, "route");
        return shadow.flatMap(s -> s.report(route));
    }

    /** The shadow reports of every route that has results, in config order. Blocking. */
    public List<ShadowReport> shadow() {
        List<ShadowReport> out = new ArrayList<>();
        for (Route r : gateway.config().routes()) shadow.flatMap(s -> s.report(r.name())).ifPresent(out::add);
        return out;
    }

    static WindowView window(StepEvidence e) {
        return new WindowView(SideView.of(e.monolith(), e.atStep()), SideView.of(e.service(), e.atStep(), e.fallbacks()),
                ShadowRate.of(e.shadowCompared(), e.shadowMatched()));
    }

    /** Why the route needs a look, most urgent first; empty when it does not. */
    private static Optional<String> problem(Optional<HoldView> hold, int rollbacks, Optional<JudgementView> judgement,
                                            Optional<WindowView> window) {
        if (hold.isPresent()) return Optional.of("held after an automatic rollback");
        if (judgement.map(j -> j.action().equals("rollback")).orElse(false)) return Optional.of("rolled back: "
                + judgement.get().summary());
        if (window.isPresent()) {
            double service = window.get().service().errorRate().orElse(0.0);
            double monolith = window.get().monolith().errorRate().orElse(0.0);
            if (service > FAILING_ERROR_RATE && service > monolith) {
                return Optional.of(String.format(Locale.ROOT, "failing: the service answers %.1f%% errors (monolith %.1f%%)",
                        100 * service, 100 * monolith));
            }
        }
        if (rollbacks > 0) return Optional.of("rolled back automatically " + rollbacks + " time" + (rollbacks == 1 ? "" : "s"));
        return Optional.empty();
    }

    /** Problems first (in the order {@link #problem} ranks them), then the config's order. */
    static List<RouteView> problemsFirst(List<RouteView> routes) {
        List<RouteView> out = new ArrayList<>(routes);
        out.sort(Comparator.comparing((RouteView r) -> r.problem().isEmpty()));
        return out;
    }

    /** Fills {@code into} with the store's states; with this gateway's last known ones, returning false, when unreachable. */
    private boolean readStates(Map<String, RouteState> into) {
        try {
            into.putAll(migration.states());
            return true;
        } catch (StoreException unreachable) {
            into.putAll(sync.known());
            return false;
        }
    }

    /** Every route's windows since the earliest step start, in one query (1,000 routes are one round trip). */
    private Optional<Map<String, List<MetricWindow>>> windowsByRoute(Collection<RouteState> states) {
        Optional<Instant> earliest = states.stream().map(RouteState::enteredAt).min(Comparator.naturalOrder());
        if (earliest.isEmpty()) return Optional.of(Map.of());
        try {
            Map<String, List<MetricWindow>> byRoute = new HashMap<>();
            for (MetricWindow w : migration.store().windows(earliest.get())) {
                byRoute.computeIfAbsent(w.route(), k -> new ArrayList<>()).add(w);
            }
            return Optional.of(byRoute);
        } catch (StoreException unreachable) {
            return Optional.empty();
        }
    }

    /**
     * The controller's latest judgement of every route, from the store (the leader may be another gateway);
     * without it, this process's own of each route in {@code states}, when made on that very state.
     */
    private Map<String, RouteDecision> decisions(Map<String, RouteState> states) {
        Map<String, RouteDecision> byRoute = new HashMap<>();
        try {
            for (RouteDecision d : migration.store().decisions()) byRoute.put(d.route(), d);
        } catch (StoreException unreachable) {
            for (RouteState s : states.values()) {
                controller.lastDecision(s).ifPresent(d -> byRoute.put(s.route(), new RouteDecision(s.route(), d.since(),
                        d.judgement().action().name().toLowerCase(Locale.ROOT), d.judgement().summary(),
                        d.judgement().evidence())));
            }
        }
        return byRoute;
    }

    private Route configRoute(String name) {
        GatewayConfig config = gateway.config();
        return config.routes().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new MigrationException.UnknownRoute(name, config.routes().stream().map(Route::name).toList()));
    }

    // ---- audit, series ---------------------------------------------------------------------

    /** Newest first. Blocking; throws {@link StoreException} when the store cannot be read. */
    public List<AuditView> audit(Optional<String> route, int limit) {
        return migration.audit(route, limit).stream().map(AuditView::of).toList();
    }

    /**
     * The route's metric windows since {@code since}, every gateway's reports of one window start
     * added, oldest first: the charts of the route page. Blocking.
     */
    public List<SeriesPoint> series(String route, Instant since) {
        configRoute(route);
        Map<Instant, List<MetricWindow>> byStart = new TreeMap<>();
        for (MetricWindow w : migration.store().windows(route, since)) byStart.computeIfAbsent(w.start(), k -> new ArrayList<>()).add(w);
        for (MetricWindow w : windows.peek()) {
            if (w.route().equals(route) && !w.start().isBefore(since)) byStart.computeIfAbsent(w.start(), k -> new ArrayList<>()).add(w);
        }
        List<SeriesPoint> out = new ArrayList<>(byStart.size());
        byStart.forEach((start, ws) -> {
            Instant end = ws.stream().map(MetricWindow::end).max(Comparator.naturalOrder()).orElseThrow();
            out.add(new SeriesPoint(start, end, window(Evidence.of(ws, start, end))));
        });
        return out;
    }

    // ---- progress, catalog -----------------------------------------------------------------

    /** Progress now, from the fleet's catalog and the routes in force. Blocking. */
    public ProgressView progress() {
        return progress(clock.instant(), catalogNow());
    }

    private ProgressView progress(Instant at, List<EndpointSummary> endpoints) {
        List<Route> routes = gateway.config().routes();
        Progress p = Progress.of(endpoints, Progress.routesOf(routes));
        Map<String, Integer> routesByStage = new HashMap<>();
        for (Route r : routes) routesByStage.merge(r.stage().configName(), 1, Integer::sum);
        List<ProgressView.StageShare> stages = new ArrayList<>();
        for (Progress.Bucket b : Progress.Bucket.values()) {
            Progress.Share s = p.share(b);
            String stage = b.name().toLowerCase(Locale.ROOT);
            stages.add(new ProgressView.StageShare(stage, routesByStage.getOrDefault(stage, 0), s.endpoints(), s.requests(),
                    s.bytes(), s.endpointShare(), s.requestShare(), s.byteShare()));
        }
        return new ProgressView(at, stages);
    }

    /** The progress rows to keep as one snapshot (see {@link ProgressSnapshots}). Blocking. */
    public List<ProgressSnapshot> snapshot() {
        ProgressView now = progress();
        return now.stages().stream().map(s -> new ProgressSnapshot(now.at(), s.stage(), s.routes(), s.endpoints(),
                s.requests(), s.bytes())).toList();
    }

    /** Stored snapshots since {@code since}, oldest first, each as a progress view. Blocking. */
    public List<ProgressView> history(Instant since) {
        Map<Instant, List<ProgressSnapshot>> byMoment = new LinkedHashMap<>();
        for (ProgressSnapshot s : migration.store().progress(since)) byMoment.computeIfAbsent(s.takenAt(), k -> new ArrayList<>()).add(s);
        List<ProgressView> out = new ArrayList<>(byMoment.size());
        byMoment.forEach((at, rows) -> {
            long endpoints = rows.stream().mapToLong(ProgressSnapshot::endpoints).sum();
            long requests = rows.stream().mapToLong(ProgressSnapshot::requests).sum();
            long bytes = rows.stream().mapToLong(ProgressSnapshot::bytes).sum();
            out.add(new ProgressView(at, rows.stream().map(s -> new ProgressView.StageShare(s.stage(), s.routes(),
                    s.endpoints(), s.requests(), s.bytes(), share(s.endpoints(), endpoints), share(s.requests(), requests),
                    share(s.bytes(), bytes))).toList()));
        });
        return out;
    }

    private static double share(long part, long total) {
        return total == 0 ? 0 : (double) part / total;
    }

    /** The overview page in one answer. Blocking. */
    public OverviewView overview() {
        List<RouteView> routes = problemsFirst(routes());
        Instant now = clock.instant();
        try {
            List<EndpointSummary> endpoints = catalogStored();
            ProgressView progress = progress(now, endpoints);
            Progress p = Progress.of(endpoints, Progress.routesOf(gateway.config().routes()));
            return new OverviewView("reachable", progress, history(now.minus(HISTORY)), p.unclaimed().size(),
                    p.unclaimed().stream().limit(UNCLAIMED_SHOWN).map(ReadModel::endpoint).toList(), routes, Optional.empty());
        } catch (StoreException unreachable) {
            return new OverviewView("unreachable", progress(now, List.of()), List.of(), 0, List.of(), routes,
                    Optional.of(unreachable.getMessage()));
        }
    }

    /** The catalog page. Blocking; throws {@link StoreException} when the store cannot be read. */
    public CatalogView catalog() {
        List<EndpointSummary> endpoints = catalogNow();
        Progress p = Progress.of(endpoints, Progress.routesOf(gateway.config().routes()));
        List<PilotView> pilots = PilotRanking.rank(p).stream().map(c -> new PilotView(c.prefix(), c.score(), c.requests(),
                c.trafficShare(), c.templates(), c.explanation(), c.factors().stream()
                .map(f -> new PilotView.Factor(f.name(), f.value(), f.weight(), f.points())).toList())).toList();
        var routeOf = Progress.routesOf(gateway.config().routes());
        List<EndpointView> all = endpoints.stream().map(e -> endpoint(e, routeOf.apply(e.key()))).toList();
        return new CatalogView(all, pilots, all.stream().filter(e -> e.declared() && e.count() == 0).toList(), catalog.isPresent(),
                CouplingView.of(migration.store().coupling()));
    }

    /**
     * The fleet's catalog with this gateway's latest requests written first. The overview, polled
     * every few seconds by each open page, reads {@link #catalogStored} instead: the recorder writes
     * on its own interval, and a flush per poll would rewrite the catalog for every viewer.
     */
    private List<EndpointSummary> catalogNow() {
        catalog.ifPresent(CatalogRecorder::flush);
        return catalogStored();
    }

    private List<EndpointSummary> catalogStored() {
        return migration.store().catalog();
    }

    private static EndpointView endpoint(EndpointSummary e) {
        return endpoint(e, Optional.empty());
    }

    /** With the route that claims it now (the catalog's own {@code route} is the one when it was recorded). */
    private static EndpointView endpoint(EndpointSummary e, Optional<Progress.RouteInfo> claimedBy) {
        double p99 = e.latency().quantileMillis(0.99);
        return new EndpointView(e.key().method(), e.key().template(), e.count(), e.errorRate(),
                Double.isFinite(p99) ? Optional.of(Math.round(p99 * 100) / 100.0) : Optional.empty(),
                e.requestBytes() + e.responseBytes(), e.lastSeen(),
                claimedBy.map(Progress.RouteInfo::route).or(e::route),
                claimedBy.map(i -> i.stage().configName()).or(() -> e.stage().map(Stage::configName)), e.declared());
    }
}
