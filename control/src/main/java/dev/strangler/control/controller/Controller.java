package dev.strangler.control.controller;

import dev.strangler.control.BackgroundThread;
import dev.strangler.control.migration.Migration;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.core.plan.StepJudge;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Stage;
import dev.strangler.store.Leadership;
import dev.strangler.store.RouteDecision;
import dev.strangler.store.RouteState;
import dev.strangler.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Moves automated routes on evidence. Every interval, if this process leads (one controller per
 * fleet: the store's leadership, a PostgreSQL advisory lock), each route that is automated, not
 * paused and in {@code shadow} or {@code canary} is judged by {@link StepJudge} on the fleet's metric
 * windows since it reached its position, and promoted or rolled back through {@link Migration} — so
 * the move is checked, audited with the judgement's evidence, and seen by every gateway.
 *
 * <p>Runs on a thread of its own: judging reads the database.
 */
public final class Controller implements AutoCloseable {
    /** Windows older than this are deleted: no step's evidence reaches that far back. */
    static final Duration WINDOW_RETENTION = Duration.ofDays(7);

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    /** The controller's last judgement of a route, for the API's {@code lastDecision}. */
    public record Decision(Instant at, Judgement judgement) {}

    private final Migration migration;
    private final Supplier<GatewayConfig> file;
    private final Leadership leadership;
    private final Clock clock;
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;
    private volatile boolean leading;
    private Instant lastPrune = Instant.EPOCH;

    public Controller(Migration migration, Supplier<GatewayConfig> file, Leadership leadership, Clock clock) {
        this.migration = Objects.requireNonNull(migration, "migration");
        this.file = Objects.requireNonNull(file, "file");
        this.leadership = Objects.requireNonNull(leadership, "leadership");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thread = BackgroundThread.scheduler("strangler-controller");
    }

    public void start(Duration interval) {
        long every = Math.max(50, interval.toMillis());
        // The first round soon after start: /health should say who leads without waiting an interval.
        thread.scheduleWithFixedDelay(this::tickGuarded, Math.min(every, 500), every, TimeUnit.MILLISECONDS);
    }

    /** Whether this process was the fleet's controller at its last tick. */
    public boolean leading() {
        return leading;
    }

    public Optional<Decision> lastDecision(String route) {
        return Optional.ofNullable(decisions.get(route));
    }

    /** One round: judge every automated route and carry out what the evidence says. Blocking. */
    public void tick() {
        boolean holds = leadership.tryHold();
        if (holds != leading) LOG.info(holds ? "this process now runs the controller" : "another process runs the controller");
        leading = holds;
        if (!holds) return;
        Instant now = clock.instant();
        Map<String, RouteState> states = migration.states();
        for (Route route : file.get().routes()) {
            RouteState state = states.get(route.name());
            if (state == null || !route.plan().automate() || state.paused()) continue;
            if (state.stage() != Stage.SHADOW && state.stage() != Stage.CANARY) continue;
            Position at = Migration.position(state);
            StepEvidence evidence = Evidence.of(migration.store().windows(route.name(), state.enteredAt()),
                    Duration.between(state.enteredAt(), now));
            Judgement judgement = StepJudge.judge(at, route.plan(), evidence);
            decisions.put(route.name(), new Decision(now, judgement));
            // Kept in the store too, so every gateway of the fleet shows the leader's latest judgement.
            migration.store().saveDecision(new RouteDecision(route.name(), now,
                    judgement.action().name().toLowerCase(java.util.Locale.ROOT), judgement.summary(), judgement.evidence()));
            migration.carryOut(route.name(), judgement, state.version()).ifPresent(change ->
                    LOG.info("controller: {} {} → {}: {}", route.name(), at, judgement.to().orElseThrow(), judgement.summary()));
        }
        if (Duration.between(lastPrune, now).toHours() >= 1) {
            migration.store().pruneWindows(now.minus(WINDOW_RETENTION));
            lastPrune = now;
        }
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
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leadership.close();
    }
}
