package dev.strangler.control.migration;

import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.Refusal;
import dev.strangler.core.plan.Transitions;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.Stage;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Where each route is, and every way to move it: the one place that applies DESIGN.md's rules for
 * runtime state. The admin API, the CLI (through the API) and the controller all change routes
 * here, so every change is checked by {@link Transitions} and audited the same way.
 *
 * <h2>File versus runtime state</h2>
 * The config file's {@code stage}/{@code percent} is the operator's intent when the file was
 * written; the store remembers what was last applied from the file. {@link #reconcile} lets the
 * file win only when it says something different from that (audited as made by {@code config});
 * otherwise the position the route was moved to since (API, controller) stands. So a restart resumes
 * where each route was, and an edited file still takes effect.
 *
 * <p>A file edit that moves a route in a way {@link Transitions} would refuse a person (a route
 * added at {@code live}, a jump from {@code monolith} to {@code live}) is applied — the file is the
 * operator's explicit word — but audited as <b>forced</b>, with the rule it broke, and logged as a
 * warning. A route that disappears from the file is audited once ("removed from the config file").
 *
 * <h2>A new service starts the step again</h2>
 * Metric windows carry no service: a step's evidence is every window since it began. So when the file
 * (on a reload, or at start after an edit) gives a route in {@code shadow}, {@code canary} or
 * {@code live} another service, or the same service defined differently ({@link ServiceDigest}), the
 * route stays where it is but its step starts again ({@link RouteState#enteredAt()} moves to now),
 * audited as a {@code config} change that says so. The gates, the controller's min-time and
 * {@code status} then count the new service only, as {@code diff} does. The service the step is about
 * is kept in the store ({@link RouteState#stepService()}), so a restart with the same file changes
 * nothing.
 *
 * <h2>Holds after rollback</h2>
 * An automatic rollback puts the route on hold ({@link RouteState#hold()}): the controller does not
 * promote it on its own until the hold ends, a person resumes it ({@link #resume}), or the service's
 * definition changes ({@link #liftHold}). People can still move it.
 *
 * <h2>The sticky bucket function</h2>
 * A route that was in {@code canary} when the store was upgraded to the NGINX-compatible sticky
 * hash keeps the legacy function ({@link RouteState#stickyHash()}) until it leaves canary
 * ({@link #moved}); {@link #overlay} hands it to the data plane with the route's position.
 *
 * <h2>Concurrency</h2>
 * Several gateways (and their admin APIs) may change the same route at once. Every change is a
 * compare-and-set on the route's version; a lost race re-reads and re-checks the move (it may no
 * longer be allowed) a few times before giving up with {@link MigrationException.Conflict}.
 *
 * <p>Every method blocks on the database: call them on worker threads, never on an event loop.
 */
public final class Migration {
    /** The actor of changes that come from the config file. */
    public static final String CONFIG_ACTOR = "config";
    /** The actor of the controller's changes. */
    public static final String CONTROLLER_ACTOR = "controller";
    /** Starts an audit entry's evidence line that carries a move's warning (a stale-read pair it created). */
    public static final String WARNING_PREFIX = "warning: ";
    /** What the audit log keeps of a reason; longer ones are refused, not cut (the reader would miss the end). */
    public static final int MAX_REASON_LENGTH = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(Migration.class);
    private static final int ATTEMPTS = 3;

    private final StateStore store;
    private final Clock clock;
    private final GateCheck gates;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile GatewayConfig file;

    /**
     * @param file  the config file as read at start; every {@link #reconcile} replaces it
     * @param gates asked before a person's forward move ({@link GateCheck#NONE} for none)
     */
    public Migration(StateStore store, GatewayConfig file, Clock clock, GateCheck gates) {
        this.store = Objects.requireNonNull(store, "store");
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.gates = Objects.requireNonNull(gates, "gates");
    }

    public StateStore store() {
        return store;
    }

    /** The config file as last given to {@link #reconcile} (routes' stages as written). */
    public GatewayConfig file() {
        return file;
    }

    /**
     * Calls {@code listener} after every change made through this object, so this process applies
     * it at once instead of waiting for the store's notification. It must be quick.
     */
    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Brings the store in line with a config file (at start, and on every reload) and returns the
     * config the gateway should serve: the file with each route at its runtime position. The file
     * becomes {@link #file()} even when the store cannot be reached (the reconcile is then retried
     * by the caller).
     */
    public GatewayConfig reconcile(GatewayConfig next) {
        file = Objects.requireNonNull(next, "next");
        String source = next.source().map(Object::toString).orElse("the config");
        boolean fromFile = next.source().isPresent();
        boolean anyChange = false;
        Set<String> named = new HashSet<>();
        for (Route route : next.routes()) {
            named.add(route.name());
            anyChange |= reconcile(route, stepService(next, route), source, fromFile);
        }
        for (RouteState s : store.routeStates()) {
            if (!named.contains(s.route()) && s.removedAt().isEmpty()) anyChange |= markRemoved(s, source);
        }
        if (anyChange) changed();
        return overlay(next, states());
    }

    /**
     * One route: create its state, or let the file win where it changed since last applied. A lost
     * race (the controller, the API or another gateway changed the route at that moment) is re-read
     * and re-decided, so an edit of the file is never dropped. Returns whether anything was written.
     *
     * <p>The route's service is remembered with its state ({@link RouteState#stepService()}): when the
     * file gives a route that is being judged another service, or defines its service differently,
     * its step starts again where it is ({@link #serviceReplaced}).
     */
    private boolean reconcile(Route route, Optional<RouteState.StepService> service, String source, boolean fromFile) {
        Position intent = route.position();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = now();
            Optional<RouteState> stored = store.routeState(route.name());
            if (stored.isEmpty()) {
                RouteState first = new RouteState(route.name(), intent.stage(), intent.percent(), false, intent.stage(),
                        intent.percent(), now, 1).withStepService(service);
                String why = "first seen in " + source + forcedByFile(route.name(), Position.MONOLITH, intent, source, fromFile);
                if (store.create(first, entry(now, route.name(), CONFIG_ACTOR, "create", null, intent, why, List.of())))
                    return true;
                continue; // created by another gateway at the same moment: decide again on its row
            }
            RouteState state = stored.get();
            Optional<RouteState.StepService> serving = service.isPresent() ? service : state.stepService();
            RouteState back = state.removedAt().isPresent() ? state.withRemovedAt(Optional.empty()) : state;
            Position lastApplied = new Position(state.fileStage(), state.fileStage() == Stage.CANARY ? state.filePercent() : 0);
            Position current = position(state);
            boolean fileMoves = !lastApplied.equals(intent);
            boolean moves = fileMoves && !current.equals(intent);
            Optional<String> restart = moves ? Optional.empty() : serviceReplaced(state, serving, source);
            if (!fileMoves && back == state && restart.isEmpty() && serving.equals(state.stepService()))
                return false; // the file says what it said: runtime state stands
            RouteState next = moves ? moved(back, intent, now)
                    : restart.isPresent() ? back.movedTo(state.stage(), state.percent(), now) : back;
            next = next.withFile(intent.stage(), intent.percent()).withStepService(serving);
            List<String> why = new ArrayList<>();
            if (moves) why.add(source + " changed the route from " + lastApplied + " to " + intent
                    + forcedByFile(route.name(), current, intent, source, fromFile));
            if (!fileMoves && back != state) why.add("back in " + source + " (removed at " + state.removedAt().get() + ")");
            restart.ifPresent(why::add);
            // Without a reason (the file's stage caught up with the route's, or the service is recorded
            // for the first time) the write is silent: nothing a reader of the audit log must know.
            AuditEntry entry = why.isEmpty() ? null : entry(now, route.name(), CONFIG_ACTOR, "config", current,
                    moves ? intent : current, String.join("; ", why), List.of());
            if (store.compareAndSet(state.version(), next, entry)) {
                if (restart.isPresent()) {
                    forgetJudgement(route.name(), CONFIG_ACTOR); // it judged the old service
                    LOG.info("route {}: {}", route.name(), restart.get());
                }
                return true;
            }
        }
        throw new MigrationException.Conflict(route.name());
    }

    /**
     * Why the route's step starts again when its service becomes {@code now}; empty when it does not.
     * The evidence of a step — metric windows read since it began, for the gates, the controller's
     * min-time and {@code status} — has no service of its own: a step that went on across a change of
     * service would judge the new service on the old one's numbers. So a route in {@code shadow},
     * {@code canary} or {@code live} (whose outage guard reads the step's recent windows) whose
     * service is another one, or the same one defined differently ({@link ServiceDigest}), restarts
     * its step where it is. {@code monolith} and {@code retired} have nothing of the service to judge;
     * a state that does not know its service yet (written before the store's V11) is not restarted.
     */
    static Optional<String> serviceReplaced(RouteState state, Optional<RouteState.StepService> now, String source) {
        Optional<RouteState.StepService> was = state.stepService();
        if (was.isEmpty() || now.isEmpty() || was.equals(now)) return Optional.empty();
        Stage stage = state.stage();
        if (stage != Stage.SHADOW && stage != Stage.CANARY && stage != Stage.LIVE) return Optional.empty();
        String change = was.get().name().equals(now.get().name())
                ? "service " + now.get().name() + "'s definition changed (URLs, timeouts, pool or trust)"
                : "service " + now.get().name() + " replaces " + was.get().name();
        String judged = stage == Stage.LIVE ? "the outage guard judges only the new service's windows"
                : "the gates judge only the new service's evidence (min-time counts from now)";
        return Optional.of(source + ": " + change + ": the " + position(state) + " step starts again, so " + judged);
    }

    /**
     * The file moves routes the same way a person does, but it is applied either way: a move the
     * rules refuse is marked forced in the audit log and warned about (a config built in code, such
     * as the demo's, only says so at info level). Empty text when allowed.
     */
    private static String forcedByFile(String route, Position from, Position to, String source, boolean fromFile) {
        if (from.equals(to)) return "";
        Optional<Refusal> refusal = Transitions.check(route, from, to, false);
        if (refusal.isEmpty()) return "";
        LOG.atLevel(fromFile ? org.slf4j.event.Level.WARN : org.slf4j.event.Level.INFO).log("{}: route {} moved {} → {} by the file, against the transition rules (applied as forced): {}",
                source, route, from, to, refusal.get().reason());
        return " (forced: " + refusal.get().reason() + ")";
    }

    /** Audits, once, that the file no longer has the route; its state stays in case it comes back. */
    private boolean markRemoved(RouteState state, String source) {
        Instant now = now();
        Position at = position(state);
        AuditEntry entry = entry(now, state.route(), CONFIG_ACTOR, "remove", at, at, "removed from the config file ("
                + source + "); it no longer routes anything", List.of());
        return store.compareAndSet(state.version(), state.withRemovedAt(Optional.of(now)), entry);
    }

    /** The file's routes, each at its runtime position (with its canary's bucket function) where the store has one. Pure. */
    public static GatewayConfig overlay(GatewayConfig file, Map<String, RouteState> states) {
        List<Route> routes = new ArrayList<>(file.routes().size());
        for (Route r : file.routes()) {
            RouteState s = states.get(r.name());
            routes.add(s == null ? r : r.at(position(s)).withStickyHash(s.stickyHash()));
        }
        return file.withRoutes(routes);
    }

    /** Every stored state, by route name. */
    public Map<String, RouteState> states() {
        Map<String, RouteState> byName = new LinkedHashMap<>();
        for (RouteState s : store.routeStates()) byName.put(s.route(), s);
        return byName;
    }

    /**
     * One step forward along the route's plan, or to {@code to}. Unless forced, the route's gates are
     * checked ({@link GateCheck}) as well as the transition rules.
     */
    public Change promote(String routeName, Optional<Position> to, boolean force, String actor, String reason) {
        Route route = route(routeName);
        return move(route, actor, "promote", reason, state -> {
            Position from = position(state);
            Position target = to.orElseGet(() -> Transitions.next(from, route.plan()).orElseThrow(() ->
                    new MigrationException.Refused(routeName, new Refusal(from, from, "a retired route has no next step",
                            "nothing to do; `strangler status` shows every route's position"))));
            if (to.isPresent() && target.progress() < from.progress()) {
                throw new MigrationException.Refused(routeName, from.stage() == Stage.CANARY && target.stage() == Stage.CANARY
                        ? Transitions.lowerWithPromote(routeName, from, target)
                        : Transitions.behindWithPromote(routeName, from, target));
            }
            return target;
        }, force, true);
    }

    /** Back to {@code to}, or to {@link Transitions#rollbackTarget}; a reason is required. */
    public Change rollback(String routeName, Optional<Position> to, boolean force, String actor, String reason) {
        requireReason(reason, "a rollback");
        Route route = route(routeName);
        return move(route, actor, "rollback", reason, state -> {
            Position from = position(state);
            Position target = to.orElseGet(() -> Transitions.rollbackTarget(from).orElseThrow(() ->
                    new MigrationException.Refused(routeName, new Refusal(from, from, "the route is at monolith: there is "
                            + "nothing to roll back", "nothing to do; `strangler promote " + routeName + "` starts shadowing"))));
            if (target.progress() > from.progress()) {
                throw new MigrationException.Refused(routeName, Transitions.aheadWithRollback(routeName, from, target));
            }
            return target;
        }, force, false);
    }

    /**
     * The canary share, while the route is in {@code canary}. Lowering it needs a reason (like a
     * rollback); raising it is a promotion, so the gates are checked unless forced.
     */
    public Change setPercent(String routeName, double percent, boolean force, String actor, String reason) {
        if (!(percent >= 0 && percent <= 100))
            throw new MigrationException.BadRequest("percent " + percent + " is outside 0..100");
        Route route = route(routeName);
        Position asked = Position.canary(percent);
        Position now = position(stateOf(route));
        if (now.stage() == Stage.CANARY && percent < now.percent()) requireReason(reason, "lowering the canary share");
        return move(route, actor, "set-percent", reason, state -> {
            Position from = position(state);
            if (from.stage() != Stage.CANARY) {
                throw new MigrationException.Refused(routeName, Transitions.percentOutsideCanary(routeName, from, percent));
            }
            return asked;
        }, force, true);
    }

    /** Stops the controller from moving the route (people still can). */
    public Change pause(String routeName, String actor, String reason) {
        String given = reasonOrDefault(reason);
        return update(routeName, actor, "pause", given, state -> {
            if (state.paused()) throw refusedAutomation(routeName, state, "automation of the route is already paused",
                    "`strangler resume " + routeName + "` lets the controller move it again");
            return state.withPaused(true);
        });
    }

    /**
     * Lets the controller move the route again: ends a pause, and a hold after an automatic rollback
     * (the count of consecutive rollbacks stays, so the next hold is longer).
     */
    public Change resume(String routeName, String actor, String reason) {
        String given = reasonOrDefault(reason);
        return update(routeName, actor, "resume", given, state -> {
            boolean held = state.heldAt(now());
            if (!state.paused() && !held) throw refusedAutomation(routeName, state, "automation of the route is already "
                    + "running (not paused, not held)", "`strangler pause " + routeName + "` stops it");
            return state.withPaused(false).withHold(Optional.empty(), state.automaticRollbacks());
        });
    }

    /**
     * Ends a route's hold before its time, for a reason the controller saw (the service's definition
     * changed), if the route has not changed since {@code seenVersion}. Returns empty when it had.
     */
    public Optional<Change> liftHold(String routeName, long seenVersion, String reason) {
        RouteState state = store.routeState(routeName).orElseThrow(() -> new MigrationException.UnknownRoute(routeName, List.of()));
        if (state.version() != seenVersion || state.hold().isEmpty()) return Optional.empty();
        Instant now = now();
        RouteState next = state.withHold(Optional.empty(), 0).withVersion(state.version() + 1);
        Position at = position(state);
        AuditEntry entry = entry(now, routeName, CONTROLLER_ACTOR, "hold-lifted", at, at, reason, List.of());
        if (!store.compareAndSet(seenVersion, next, entry)) return Optional.empty();
        changed();
        return Optional.of(new Change(next, latestAudit(routeName, entry)));
    }

    /**
     * Carries out the controller's judgement of a route, as long as the route has not changed since
     * it was judged (version): a decision about a position the route has left is void. A rollback
     * puts the route on hold for {@code holdFor}, and counts one more consecutive automatic
     * rollback; reaching {@code live} clears that count.
     */
    public Optional<Change> carryOut(String routeName, Judgement judgement, long judgedVersion, Duration holdFor) {
        if (judgement.action() == Judgement.Action.HOLD) return Optional.empty();
        Instant now = now();
        RouteState state = store.routeState(routeName).orElseThrow(() -> new MigrationException.UnknownRoute(routeName, List.of()));
        if (state.version() != judgedVersion || state.paused() || !position(state).equals(judgement.from())) return Optional.empty();
        boolean rollback = judgement.action() == Judgement.Action.ROLLBACK;
        if (!rollback && state.heldAt(now)) return Optional.empty();
        Position to = judgement.to().orElseThrow();
        RouteState next = moved(state, to, now);
        String summary = judgement.summary();
        if (rollback) {
            int count = state.automaticRollbacks() + 1;
            Instant until = now.plus(holdFor);
            next = next.withHold(Optional.of(new RouteState.Hold(until, serviceDigest(routeName))), count);
            summary += "; held until " + until + " (automatic rollback " + count + " in a row): `strangler resume "
                    + routeName + "` lifts the hold";
        } else if (to.stage() == Stage.LIVE || to.stage() == Stage.RETIRED) {
            next = next.withHold(Optional.empty(), 0);
        } else if (state.hold().isPresent()) {
            next = next.withHold(Optional.empty(), state.automaticRollbacks()); // an ended hold is dropped
        }
        if (!rollback && state.hold().isPresent()) summary += " (the hold after rollback ended at " + state.hold().get().until() + ")";
        next = next.withVersion(state.version() + 1);
        AuditEntry entry = entry(now, routeName, CONTROLLER_ACTOR, rollback ? "rollback" : "promote", judgement.from(), to,
                summary, judgement.evidence());
        if (!store.compareAndSet(judgedVersion, next, entry)) return Optional.empty();
        changed();
        return Optional.of(new Change(next, latestAudit(routeName, entry)));
    }

    /** The route's service in {@code config}, with the digest of its definition; empty when the config lacks it. */
    private static Optional<RouteState.StepService> stepService(GatewayConfig config, Route route) {
        return Optional.ofNullable(config.services().get(route.service()))
                .map(s -> new RouteState.StepService(route.service(), ServiceDigest.of(s)));
    }

    /** The digest of the route's service as the file defines it now; empty text when it has none. */
    public String serviceDigest(String routeName) {
        GatewayConfig config = file;
        return config.routes().stream().filter(r -> r.name().equals(routeName)).findFirst()
                .map(r -> config.services().get(r.service())).map(ServiceDigest::of).orElse("");
    }

    public List<AuditEntry> audit(Optional<String> route, int limit) {
        if (limit < 1 || limit > 1000) throw new MigrationException.BadRequest("limit " + limit + " is outside 1..1000");
        return store.audit(route, limit);
    }

    /**
     * The state moved to {@code to}. Leaving canary ends a {@link BucketFunction#LEGACY} bucket
     * function kept from before the upgrade: the route's next canary draws with NGINX's, while a
     * percent change within the canary keeps the function, so nobody on the service is moved back.
     */
    static RouteState moved(RouteState state, Position to, Instant at) {
        RouteState next = state.movedTo(to.stage(), to.percent(), at);
        return to.stage() == Stage.CANARY ? next : next.withStickyHash(BucketFunction.NGINX);
    }

    public static Position position(RouteState s) {
        return s.stage() == Stage.CANARY ? Position.canary(s.percent()) : Position.of(s.stage());
    }

    // ---- internals -------------------------------------------------------------------------

    private Change update(String routeName, String actor, String action, String reason, Function<RouteState, RouteState> change) {
        Route route = route(routeName);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            RouteState state = stateOf(route);
            RouteState next = change.apply(state).withVersion(state.version() + 1);
            Position at = position(state);
            AuditEntry entry = entry(now(), routeName, actor, action, at, at, reason, List.of());
            if (store.compareAndSet(state.version(), next, entry)) {
                changed();
                return new Change(next, latestAudit(routeName, entry));
            }
        }
        throw new MigrationException.Conflict(routeName);
    }

    private Change move(Route route, String actor, String action, String reason, Function<RouteState, Position> target,
                        boolean force, boolean forward) {
        String given = reasonOrDefault(reason); // bad input is refused before anything is judged
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            RouteState state = stateOf(route);
            Position from = position(state);
            Position to = target.apply(state);
            Optional<Refusal> refusal = Transitions.check(route.name(), from, to, force);
            if (refusal.isPresent()) throw new MigrationException.Refused(route.name(), refusal.get());
            Optional<Refusal> gate = forward && !force && to.progress() > from.progress()
                    ? gates.check(route, state, to) : Optional.empty();
            if (gate.isPresent()) throw new MigrationException.Refused(route.name(), gate.get());
            Instant now = now();
            RouteState next = moved(state, to, now).withVersion(state.version() + 1);
            boolean forced = force && (Transitions.check(route.name(), from, to, false).isPresent()
                    || (forward && to.progress() > from.progress() && gates.check(route, state, to).isPresent()));
            String why = given + (forced ? " (forced)" : "");
            List<String> warnings = staleReadsCreated(route.name(), state, to);
            AuditEntry entry = entry(now, route.name(), actor, action, from, to, why,
                    warnings.stream().map(w -> WARNING_PREFIX + w).toList());
            if (store.compareAndSet(state.version(), next, entry)) {
                forgetJudgement(route.name(), actor);
                changed();
                for (String w : warnings) LOG.warn("route {} moved {} → {} by {}: {}", route.name(), from, to, actor, w);
                return new Change(next, latestAudit(route.name(), entry), warnings);
            }
        }
        throw new MigrationException.Conflict(route.name());
    }

    /** What moving the route from {@code state} to {@code to} risks among the routes as served; blocking (reads the store). */
    private List<String> staleReadsCreated(String routeName, RouteState state, Position to) {
        Map<String, RouteState> states = states();
        states.put(routeName, state);
        return MoveWarnings.staleReadsCreated(overlay(file, states).routes(), routeName, to);
    }

    /**
     * A person moved the route: the controller's last judgement was of the position it left, and
     * {@code status} would show it as current. The controller judges the new position at its next tick.
     */
    private void forgetJudgement(String route, String actor) {
        if (actor.equals(CONTROLLER_ACTOR)) return;
        try {
            store.clearDecision(route);
        } catch (StoreException e) {
            LOG.warn("route {}: moved, but its last controller decision could not be cleared: {}", route, e.getMessage());
        }
    }

    private static MigrationException.Refused refusedAutomation(String route, RouteState state, String reason, String hint) {
        Position at = position(state);
        return new MigrationException.Refused(route, new Refusal(at, at, reason, hint));
    }

    private void changed() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("a change listener failed; the change itself is stored", e);
            }
        }
    }

    private Route route(String name) {
        GatewayConfig config = file;
        return config.routes().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new MigrationException.UnknownRoute(name, config.routes().stream().map(Route::name).toList()));
    }

    /** The route's stored state; a route the store has not seen yet (added by a reload in flight) starts where the file puts it. */
    private RouteState stateOf(Route route) {
        Optional<RouteState> state = store.routeState(route.name());
        if (state.isPresent()) return state.get();
        reconcile(file);
        return store.routeState(route.name()).orElseThrow(() -> new MigrationException.Conflict(route.name()));
    }

    /** The stored entry (with its id) when it can be read back; the entry as written otherwise. */
    private AuditEntry latestAudit(String route, AuditEntry written) {
        return store.audit(Optional.of(route), 1).stream().findFirst()
                .filter(e -> e.action().equals(written.action()) && e.at().equals(written.at()))
                .orElse(written);
    }

    /** Millisecond precision: what every database keeps, so an entry read back equals the one written. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static void requireReason(String reason, String what) {
        if (reason == null || reason.isBlank())
            throw new MigrationException.BadRequest(what + " needs a reason: say what went wrong, for the audit log");
    }

    private static String reasonOrDefault(String reason) {
        if (reason == null || reason.isBlank()) return "(no reason given)";
        String r = reason.strip();
        if (r.length() > MAX_REASON_LENGTH)
            throw new MigrationException.BadRequest("the reason has " + r.length() + " characters (at most " + MAX_REASON_LENGTH
                    + "); put the details elsewhere and link them");
        if (r.indexOf('\0') >= 0) throw new MigrationException.BadRequest("the reason contains a NUL character");
        return r;
    }

    private static AuditEntry entry(Instant at, String route, String actor, String action, Position from, Position to,
                                    String reason, List<String> evidence) {
        return new AuditEntry(0, at, route, actor, action, from == null ? null : from.stage(), from == null ? 0 : from.percent(),
                to.stage(), to.percent(), reason, evidence);
    }
}
