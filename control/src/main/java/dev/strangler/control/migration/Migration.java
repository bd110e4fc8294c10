package dev.strangler.control.migration;

import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.Refusal;
import dev.strangler.core.plan.Transitions;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Stage;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

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
    private static final int ATTEMPTS = 3;

    private final StateStore store;
    private final Supplier<GatewayConfig> fileConfig;
    private final Clock clock;
    private final Runnable changed;

    /**
     * @param fileConfig the config as the file says it now (routes' stages as written)
     * @param changed    called after every change made here, so this process applies it at once
     *                   instead of waiting for the store's notification
     */
    public Migration(StateStore store, Supplier<GatewayConfig> fileConfig, Clock clock, Runnable changed) {
        this.store = Objects.requireNonNull(store, "store");
        this.fileConfig = Objects.requireNonNull(fileConfig, "fileConfig");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    public StateStore store() {
        return store;
    }

    /**
     * Brings the store in line with a config file (at start, and on every reload) and returns the
     * config the gateway should serve: the file with each route at its runtime position.
     */
    public GatewayConfig reconcile(GatewayConfig file) {
        String source = file.source().map(Object::toString).orElse("the config");
        boolean anyChange = false;
        for (Route route : file.routes()) anyChange |= reconcile(route, source);
        if (anyChange) changed.run();
        return overlay(file, states());
    }

    /**
     * One route: create its state, or let the file win where it changed since last applied. A lost
     * race (the controller, the API or another gateway changed the route at that moment) is re-read
     * and re-decided, so an edit of the file is never dropped. Returns whether anything was written.
     */
    private boolean reconcile(Route route, String source) {
        Position intent = route.position();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = now();
            Optional<RouteState> stored = store.routeState(route.name());
            if (stored.isEmpty()) {
                RouteState first = new RouteState(route.name(), intent.stage(), intent.percent(), false, intent.stage(),
                        intent.percent(), now, 1);
                if (store.create(first, entry(now, route.name(), CONFIG_ACTOR, "create", null, intent,
                        "first seen in " + source, List.of()))) return true;
                continue; // created by another gateway at the same moment: decide again on its row
            }
            RouteState state = stored.get();
            Position lastApplied = new Position(state.fileStage(), state.fileStage() == Stage.CANARY ? state.filePercent() : 0);
            if (lastApplied.equals(intent)) return false; // the file says what it said: runtime state stands
            Position current = position(state);
            boolean moves = !current.equals(intent);
            RouteState next = new RouteState(route.name(), intent.stage(), intent.percent(), state.paused(),
                    intent.stage(), intent.percent(), moves ? now : state.enteredAt(), state.version() + 1);
            AuditEntry entry = moves ? entry(now, route.name(), CONFIG_ACTOR, "config", current, intent,
                    source + " changed the route from " + lastApplied + " to " + intent, List.of()) : null;
            if (store.compareAndSet(state.version(), next, entry)) return true;
        }
        throw new MigrationException.Conflict(route.name());
    }

    /** The file's routes, each at its runtime position where the store has one. Pure. */
    public static GatewayConfig overlay(GatewayConfig file, Map<String, RouteState> states) {
        List<Route> routes = new ArrayList<>(file.routes().size());
        for (Route r : file.routes()) {
            RouteState s = states.get(r.name());
            routes.add(s == null ? r : r.at(position(s)));
        }
        return file.withRoutes(routes);
    }

    /** Every stored state, by route name. */
    public Map<String, RouteState> states() {
        Map<String, RouteState> byName = new LinkedHashMap<>();
        for (RouteState s : store.routeStates()) byName.put(s.route(), s);
        return byName;
    }

    /** One step forward along the route's plan, or to {@code to}. */
    public Change promote(String routeName, Optional<Position> to, boolean force, String actor, String reason) {
        Route route = route(routeName);
        return move(route, actor, "promote", reason, List.of(), state -> {
            Position from = position(state);
            Position target = to.orElseGet(() -> Transitions.next(from, route.plan()).orElseThrow(() ->
                    new MigrationException.Refused(routeName, new Refusal(from, from, "a retired route has no next step",
                            "nothing to do"))));
            if (to.isPresent() && target.progress() < from.progress()) {
                throw new MigrationException.Refused(routeName, new Refusal(from, target, target + " is behind " + from,
                        "use rollback to move back"));
            }
            return target;
        }, force);
    }

    /** Back to {@code to}, or to {@link Transitions#rollbackTarget}; a reason is required. */
    public Change rollback(String routeName, Optional<Position> to, boolean force, String actor, String reason) {
        if (reason == null || reason.isBlank())
            throw new MigrationException.BadRequest("a rollback needs a reason: say what went wrong, for the audit log");
        Route route = route(routeName);
        return move(route, actor, "rollback", reason, List.of(), state -> {
            Position from = position(state);
            Position target = to.orElseGet(() -> Transitions.rollbackTarget(from).orElseThrow(() ->
                    new MigrationException.Refused(routeName, new Refusal(from, from, "the route is at monolith: there is "
                            + "nothing to roll back", "nothing to do"))));
            if (target.progress() > from.progress()) {
                throw new MigrationException.Refused(routeName, new Refusal(from, target, target + " is ahead of " + from,
                        "use promote to move forward"));
            }
            return target;
        }, force);
    }

    /** The canary share, while the route is in {@code canary}. */
    public Change setPercent(String routeName, double percent, boolean force, String actor, String reason) {
        if (!(percent >= 0 && percent <= 100))
            throw new MigrationException.BadRequest("percent " + percent + " is outside 0..100");
        Route route = route(routeName);
        return move(route, actor, "set-percent", reason, List.of(), state -> {
            Position from = position(state);
            if (from.stage() != Stage.CANARY) {
                throw new MigrationException.Refused(routeName, new Refusal(from, Position.canary(percent),
                        "the route is at " + from + ", not in canary", "promote it to canary first"));
            }
            return Position.canary(percent);
        }, force);
    }

    /** Stops the controller from moving the route (people still can). */
    public Change pause(String routeName, String actor, String reason) {
        return setPaused(routeName, true, actor, reason);
    }

    public Change resume(String routeName, String actor, String reason) {
        return setPaused(routeName, false, actor, reason);
    }

    /**
     * Carries out the controller's judgement of a route, as long as the route has not changed since
     * it was judged (version): a decision about a position the route has left is void.
     */
    public Optional<Change> carryOut(String routeName, Judgement judgement, long judgedVersion) {
        if (judgement.action() == Judgement.Action.HOLD) return Optional.empty();
        Instant now = now();
        RouteState state = store.routeState(routeName).orElseThrow(() -> new MigrationException.UnknownRoute(routeName, List.of()));
        if (state.version() != judgedVersion || state.paused() || !position(state).equals(judgement.from())) return Optional.empty();
        Position to = judgement.to().orElseThrow();
        String action = judgement.action() == Judgement.Action.PROMOTE ? "promote" : "rollback";
        RouteState next = new RouteState(routeName, to.stage(), to.percent(), false, state.fileStage(), state.filePercent(),
                now, state.version() + 1);
        AuditEntry entry = entry(now, routeName, CONTROLLER_ACTOR, action, judgement.from(), to, judgement.summary(),
                judgement.evidence());
        if (!store.compareAndSet(judgedVersion, next, entry)) return Optional.empty();
        changed.run();
        return Optional.of(new Change(next, latestAudit(routeName, entry)));
    }

    public List<AuditEntry> audit(Optional<String> route, int limit) {
        if (limit < 1 || limit > 1000) throw new MigrationException.BadRequest("limit " + limit + " is outside 1..1000");
        return store.audit(route, limit);
    }

    public static Position position(RouteState s) {
        return s.stage() == Stage.CANARY ? Position.canary(s.percent()) : Position.of(s.stage());
    }

    // ---- internals -------------------------------------------------------------------------

    private Change setPaused(String routeName, boolean paused, String actor, String reason) {
        String given = reasonOrDefault(reason);
        Route route = route(routeName);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            RouteState state = stateOf(route);
            Position at = position(state);
            if (state.paused() == paused) {
                throw new MigrationException.Refused(routeName, new Refusal(at, at, "automation of the route is already "
                        + (paused ? "paused" : "running"), "nothing to do"));
            }
            Instant now = now();
            RouteState next = new RouteState(state.route(), state.stage(), state.percent(), paused, state.fileStage(),
                    state.filePercent(), state.enteredAt(), state.version() + 1);
            AuditEntry entry = entry(now, routeName, actor, paused ? "pause" : "resume", at, at, given, List.of());
            if (store.compareAndSet(state.version(), next, entry)) {
                changed.run();
                return new Change(next, latestAudit(routeName, entry));
            }
        }
        throw new MigrationException.Conflict(routeName);
    }

    private Change move(Route route, String actor, String action, String reason, List<String> evidence,
                        Function<RouteState, Position> target, boolean force) {
        String given = reasonOrDefault(reason); // bad input is refused before anything is judged
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            RouteState state = stateOf(route);
            Position from = position(state);
            Position to = target.apply(state);
            Optional<Refusal> refusal = Transitions.check(from, to, force);
            if (refusal.isPresent()) throw new MigrationException.Refused(route.name(), refusal.get());
            Instant now = now();
            RouteState next = new RouteState(route.name(), to.stage(), to.percent(), state.paused(), state.fileStage(),
                    state.filePercent(), now, state.version() + 1);
            String why = given + (force && Transitions.check(from, to, false).isPresent() ? " (forced)" : "");
            AuditEntry entry = entry(now, route.name(), actor, action, from, to, why, evidence);
            if (store.compareAndSet(state.version(), next, entry)) {
                changed.run();
                return new Change(next, latestAudit(route.name(), entry));
            }
        }
        throw new MigrationException.Conflict(route.name());
    }

    private Route route(String name) {
        GatewayConfig config = fileConfig.get();
        return config.routes().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new MigrationException.UnknownRoute(name, config.routes().stream().map(Route::name).toList()));
    }

    /** The route's stored state; a route the store has not seen yet (added by a reload in flight) starts where the file puts it. */
    private RouteState stateOf(Route route) {
        Optional<RouteState> state = store.routeState(route.name());
        if (state.isPresent()) return state.get();
        reconcile(fileConfig.get());
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

    /** What the audit log keeps of a reason; longer ones are refused, not cut (the reader would miss the end). */
    public static final int MAX_REASON_LENGTH = 2000;

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
