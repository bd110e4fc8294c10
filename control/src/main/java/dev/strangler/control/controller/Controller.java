package dev.strangler.control.controller;

import dev.strangler.control.BackgroundThread;
import dev.strangler.control.migration.Migration;
import dev.strangler.core.config.Backend;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.PromotionPlan;
import dev.strangler.core.plan.SideSample;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.core.plan.StepJudge;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Stage;
import dev.strangler.store.JudgedDecision;
import dev.strangler.store.Leadership;
import dev.strangler.store.MetricWindow;
import dev.strangler.store.RouteDecision;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves automated routes on evidence. Every interval, if this process leads (one controller per
 * fleet: the store's leadership, a PostgreSQL advisory lock), each route that is automated, not
 * paused and in {@code shadow}, {@code canary} or {@code live} is judged by the {@link Judge}
 * ({@link StepJudge}) on the fleet's metric windows since it reached its position (a reload that
 * changes its service starts the position again: {@link Migration}), and promoted or
 * rolled back through {@link Migration} — so the move is checked, audited with the judgement's
 * evidence, and seen by every gateway. {@code retired} is never moved: it has no fallback left.
 *
 * <h2>No flapping</h2>
 * An automatic rollback puts the route on hold for a {@link BackOff} that doubles with every
 * consecutive automatic rollback. While held, a judgement to promote is recorded as a hold ("held
 * after rollback until …") and not carried out; rollbacks still are. The hold ends when its time
 * passes, when a person resumes the route, or when the service's definition in the config file
 * changes (a new deployment deserves a new try), which the controller notices here and audits.
 *
 * <h2>Probe</h2>
 * When a route's latest window holds service requests that got no answer but the judgement is not a
 * rollback (too few for the fast path), the controller tries one TCP connect to each of the
 * service's addresses with its {@link ConnectProbe} ({@link ProbeRule}); if none can be reached the
 * route is rolled back at once, the evidence naming the probe.
 *
 * <h2>Determinism</h2>
 * Time is the injected {@link Clock}; {@link #tick()} is one round and is what tests drive, with a
 * test clock and windows written to the store directly. {@link #start} only schedules ticks.
 */
public final class Controller implements AutoCloseable {
    /** Windows older than this are deleted: no step's evidence reaches that far back. */
    static final Duration WINDOW_RETENTION = Duration.ofDays(7);
    /** How far back a {@code live} route's windows are read: enough for the fast path's recent failures. */
    static final Duration LIVE_LOOKBACK = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    /**
     * The controller's last judgement of a route: {@code at} the round that made it, {@code since} the
     * round from which it has judged the route so without a break (the stored decision's time), of the
     * route's state at {@code stateVersion} (like a {@link JudgedDecision}: once the route has another
     * version, the judgement speaks of a position or a pause it has left).
     */
    public record Decision(Instant at, Instant since, Judgement judgement, long stateVersion) {}

    /** Judges one route at one look: {@link StepJudge#judge} in production. Pure. */
    @FunctionalInterface
    public interface Judge {
        Judgement judge(Position at, PromotionPlan plan, StepEvidence evidence);
    }

    private final Migration migration;
    private final Leadership leadership;
    private final Clock clock;
    private final BackOff backOff;
    private final Judge judge;
    private final ConnectProbe probe;
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();
    /**
     * What this controller kept in the store at its last round, per route judged then: a judgement is
     * written only when it differs from this. Only the ticking thread uses it; forgotten when the
     * leadership changes hands, since another leader may have written meanwhile.
     */
    private Map<String, JudgedDecision> kept = Map.of();
    private ScheduledExecutorService thread;
    private volatile boolean leading;
    private Instant lastPrune = Instant.EPOCH;

    public Controller(Migration migration, Leadership leadership, Clock clock, BackOff backOff, Judge judge,
                      ConnectProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.migration = Objects.requireNonNull(migration, "migration");
        this.leadership = Objects.requireNonNull(leadership, "leadership");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backOff = Objects.requireNonNull(backOff, "backOff");
        this.judge = Objects.requireNonNull(judge, "judge");
    }

    /** Ticks every {@code interval} on a thread of its own (judging reads the database). */
    public synchronized void start(Duration interval) {
        if (thread != null) throw new IllegalStateException("the controller is already started");
        thread = BackgroundThread.scheduler("strangler-controller");
        long every = Math.max(50, interval.toMillis());
        // The first round soon after start: /health should say who leads without waiting an interval.
        thread.scheduleWithFixedDelay(this::tickGuarded, Math.min(every, 500), every, TimeUnit.MILLISECONDS);
    }

    /** Whether this process was the fleet's controller at its last tick. */
    public boolean leading() {
        return leading;
    }

    /**
     * The last judgement of the route, as of this controller's last round: none once that round found the
     * route at another version than the one judged (a person paused or moved it) or no longer judged it.
     */
    public Optional<Decision> lastDecision(String route) {
        return Optional.ofNullable(decisions.get(route));
    }

    /**
     * The last judgement of the route in exactly {@code state}: none when the route has changed since it
     * was judged, even before this controller's next round notices.
     */
    public Optional<Decision> lastDecision(RouteState state) {
        return lastDecision(state.route()).filter(d -> d.stateVersion() == state.version());
    }

    /**
     * One round: judge every automated route and carry out what the evidence says. Blocking.
     *
     * <p>A round costs the store a few statements whatever the number of routes: the routes' states
     * in one read, every judged route's windows in one call ({@link StateStore#windows(Map)}), the
     * judgements that changed in one transaction, and a write per route only for what changes (a move,
     * a lifted hold). A judgement changed when it says something else (action, summary or evidence)
     * than the one this controller kept at its last round, or is of another state of the route (moved,
     * paused, resumed, hold lifted — by anyone: a person's move also deletes the stored one), or this
     * controller kept none (first round as leader, route not judged at the last round, or its save
     * was refused). So the stored {@code at} is when the controller reached the judgement it shows;
     * {@link #lastDecision} also says when it last judged the route.
     *
     * <p>Each route is still judged on exactly its own windows since its own start, at the round's one
     * {@code now}: routes do not affect each other's judgements, so judging all before
     * carrying any out decides the same as judging and moving them one by one.
     */
    public void tick() {
        boolean holds = leadership.tryHold();
        if (holds != leading) {
            LOG.info(holds ? "this process now runs the controller" : "another process runs the controller");
            kept = Map.of();
        }
        leading = holds;
        if (!holds) return;
        Instant now = clock.instant();
        Map<String, RouteState> states = migration.states();
        forgetDecisionsOfChangedRoutes(states);
        List<Look> looks = new ArrayList<>();
        Map<String, Instant> sinceByRoute = new HashMap<>();
        for (Route route : migration.file().routes()) {
            RouteState state = states.get(route.name());
            if (state == null || !route.plan().automate() || state.paused() || !judged(state.stage())) continue;
            Look look = Look.at(route, liftHoldIfServiceChanged(route, state), now);
            looks.add(look);
            sinceByRoute.put(route.name(), look.since());
        }
        Map<String, List<MetricWindow>> windows = migration.store().windows(sinceByRoute);
        List<Judgement> judgements = new ArrayList<>(looks.size());
        for (Look look : looks) {
            judgements.add(judge(look.route(), look.state(), Evidence.of(windows.get(look.route().name()), look.since(), now), now));
        }
        keep(looks, judgements, now);
        // A move is checked against the version judged too (Migration.carryOut): a person's move wins.
        for (int i = 0; i < looks.size(); i++) carryOut(looks.get(i), judgements.get(i));
        if (Duration.between(lastPrune, now).toHours() >= 1) {
            migration.store().pruneWindows(now.minus(WINDOW_RETENTION));
            lastPrune = now;
        }
    }

    /**
     * Keeps the round's judgements: in the store those that changed, so every gateway of the fleet shows
     * the leader's latest judgement, and here for {@link #lastDecision}. Only for routes still in the
     * state judged: a person who moved or paused a route while this round judged it must not find the
     * round's judgement of the old state shown as the latest.
     */
    private void keep(List<Look> looks, List<Judgement> judgements, Instant now) {
        Map<String, JudgedDecision> thisRound = new HashMap<>();
        List<JudgedDecision> changed = new ArrayList<>();
        for (int i = 0; i < looks.size(); i++) {
            Look look = looks.get(i);
            Judgement judgement = judgements.get(i);
            JudgedDecision judged = new JudgedDecision(new RouteDecision(look.route().name(), now,
                    judgement.action().name().toLowerCase(Locale.ROOT), judgement.summary(), judgement.evidence()),
                    look.state().version());
            JudgedDecision stored = stored(kept.get(look.route().name()), judged);
            if (stored == judged) changed.add(judged);
            thisRound.put(look.route().name(), stored);
        }
        Set<String> written;
        try {
            written = changed.isEmpty() ? Set.of() : migration.store().saveDecisions(changed);
        } catch (RuntimeException e) {
            kept = Map.of(); // whether any was written is unknown: write them all next round
            throw e;
        }
        for (JudgedDecision c : changed) {
            if (!written.contains(c.route())) thisRound.remove(c.route()); // judged on a state the route has left
        }
        kept = thisRound;
        for (int i = 0; i < looks.size(); i++) {
            String route = looks.get(i).route().name();
            JudgedDecision stored = thisRound.get(route);
            if (stored != null) {
                decisions.put(route, new Decision(now, stored.decision().at(), judgements.get(i), stored.stateVersion()));
            } else {
                decisions.remove(route);
            }
        }
    }

    /**
     * Forgets every judgement made on a version of the route's state other than the one stored now (the
     * same check as {@link StateStore#saveDecisions}): a route a person paused or moved since the last
     * round may not be judged this round (paused, at monolith), and must not keep showing the old one.
     */
    private void forgetDecisionsOfChangedRoutes(Map<String, RouteState> states) {
        decisions.entrySet().removeIf(e -> {
            RouteState now = states.get(e.getKey());
            return now == null || now.version() != e.getValue().stateVersion();
        });
    }

    /**
     * What the store holds for a route after this round: {@code previous}, what this controller kept in
     * the store at the last round, when the route is still at the state it judged then and the new
     * judgement says the same (action, summary, evidence) — nothing to write, and the decision's
     * {@code at} stays when it was first reached; otherwise {@code judged}, which is written.
     */
    private static JudgedDecision stored(JudgedDecision previous, JudgedDecision judged) {
        boolean unchanged = previous != null && previous.stateVersion() == judged.stateVersion()
                && previous.decision().sameJudgementAs(judged.decision());
        return unchanged ? previous : judged;
    }

    private static boolean judged(Stage stage) {
        return stage == Stage.SHADOW || stage == Stage.CANARY || stage == Stage.LIVE;
    }

    /** A route to judge this round, in the state it is judged in, and where its evidence starts. */
    private record Look(Route route, RouteState state, Instant since) {
        static Look at(Route route, RouteState state, Instant now) {
            // A live route can have been live for months: only its recent windows tell whether the
            // service answers now (live is judged for outages only).
            return new Look(route, state, state.stage() == Stage.LIVE && state.enteredAt().isBefore(now.minus(LIVE_LOOKBACK))
                    ? now.minus(LIVE_LOOKBACK) : state.enteredAt());
        }
    }

    /**
     * The route's judgement on its evidence, confirmed by a probe when the latest failures suggest an
     * outage, and held when it would promote during a hold after rollback. Blocking (the probe).
     */
    Judgement judge(Route route, RouteState state, StepEvidence evidence, Instant now) {
        Position at = Migration.position(state);
        Judgement judgement = probeIfSuspected(route, at, judge.judge(at, route.plan(), evidence), evidence);
        if (judgement.action() == Judgement.Action.PROMOTE && state.heldAt(now)) {
            judgement = new Judgement(Judgement.Action.HOLD, at, Optional.empty(), "held after rollback until "
                    + state.hold().orElseThrow().until() + " (or `strangler resume " + route.name() + "`); then: "
                    + judgement.summary(), judgement.evidence());
        }
        return judgement;
    }

    private void carryOut(Look look, Judgement judgement) {
        if (judgement.action() == Judgement.Action.HOLD) return;
        RouteState state = look.state();
        migration.carryOut(look.route().name(), judgement, state.version(), backOff.after(state.automaticRollbacks() + 1))
                .ifPresent(change -> LOG.info("controller: {} {} → {}: {}", look.route().name(), Migration.position(state),
                        judgement.to().orElseThrow(), change.audit().reason()));
    }

    /** The judgement, or a rollback when the latest failures suggest an outage and no address of the service connects. */
    private Judgement probeIfSuspected(Route route, Position at, Judgement judged, StepEvidence evidence) {
        Optional<SideSample> suspicion = ProbeRule.suspicion(at, judged, evidence);
        if (suspicion.isEmpty()) return judged;
        Backend service = migration.file().service(route.service());
        List<ConnectProbe.Address> addresses = service.urls().stream()
                .map(url -> new ConnectProbe.Address(url.getHost(), Backend.port(url))).toList();
        List<ConnectProbe.Outcome> outcomes = probe.connectAll(addresses, service.connectTimeout());
        List<ProbeRule.Probe> probes = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            probes.add(new ProbeRule.Probe(addresses.get(i), outcomes.get(i)));
        }
        return ProbeRule.confirm(judged, suspicion.get(), probes);
    }

    /** A hold is for the service that failed: a service defined differently since gets a new try. */
    private RouteState liftHoldIfServiceChanged(Route route, RouteState state) {
        if (state.hold().isEmpty() || state.hold().get().service().isEmpty()) return state;
        String now = migration.serviceDigest(route.name());
        if (now.isEmpty() || now.equals(state.hold().get().service())) return state;
        return migration.liftHold(route.name(), state.version(), "service " + route.service()
                        + "'s definition changed since the rollback (URLs, timeouts or pool): hold lifted")
                .map(change -> {
                    LOG.info("controller: {}: service {} changed; hold after rollback lifted", route.name(), route.service());
                    return change.state();
                })
                .orElse(state);
    }

    private void tickGuarded() {
        try {
            tick();
        } catch (StoreException e) {
            LOG.warn("controller: state store unreachable, deciding nothing this round: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("controller round failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leadership.close();
    }
}
