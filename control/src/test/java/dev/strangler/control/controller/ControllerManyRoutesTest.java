package dev.strangler.control.controller;

import dev.strangler.control.migration.GateCheck;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.testing.ManyRoutes;
import dev.strangler.control.testing.Postgres;
import dev.strangler.control.testing.TestClock;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.SideSample;
import dev.strangler.core.plan.StepJudge;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Stage;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.MetricWindow;
import dev.strangler.store.RouteDecision;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tick over many routes decides what judging each route alone on its own windows decides: before
 * every tick the test works out, route by route, what the controller should conclude — each route's
 * windows read on their own ({@link StateStore#windows(String, Instant)}) from its own start, given
 * to the controller's judgement of one route ({@link StepJudge}, the probe, the hold after rollback)
 * — then checks the decisions the tick kept (store and {@link Controller#lastDecision}; a judgement
 * that stands unchanged on an unchanged state keeps the time it was reached), the moves it made and
 * their audit. The routes mix every judged stage, routes the controller leaves alone, old and recent
 * live routes, and random traffic: healthy, failing, failing without an answer, none — drawn from a
 * seed: one on H2 and PostgreSQL, and a sweep of {@value #SWEPT_SEEDS} more on H2 in memory.
 */
class ControllerManyRoutesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final int ROUTES = 60;
    private static final BackOff BACK_OFF = new BackOff(Duration.ofMinutes(10), Duration.ofHours(4));
    /** The seed of the two tests that check, besides, that the traffic drawn made every kind of tick happen. */
    private static final long SEED = 14;
    /** How many seeds {@link #aTickDecidesWhatJudgingEachRouteAloneDecidesWhateverTheTraffic} sweeps (H2 in memory). */
    private static final int SWEPT_SEEDS = 50;

    @TempDir
    Path dir;

    @Test
    void aTickOverManyRoutesDecidesWhatJudgingEachRouteAloneDecidesOnH2() {
        assertEveryKindOfTickHappened(ticksDecideAsRouteByRoute("jdbc:h2:file:" + dir.resolve("state"), SEED));
    }

    @Test
    void aTickOverManyRoutesDecidesWhatJudgingEachRouteAloneDecidesOnPostgres() {
        try (Postgres postgres = Postgres.schemaOrSkip()) {
            assertEveryKindOfTickHappened(ticksDecideAsRouteByRoute(postgres.url(), SEED));
        }
    }

    /** Other traffic, other moves: the equality holds for every seed, not only the one above. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aTickDecidesWhatJudgingEachRouteAloneDecidesWhateverTheTraffic(long seed) {
        ticksDecideAsRouteByRoute("jdbc:h2:mem:many-routes-" + seed + "-" + System.nanoTime(), seed);
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SWEPT_SEEDS);
    }

    private static void assertEveryKindOfTickHappened(Outcome outcome) {
        assertThat(outcome.moves()).as("moves: some routes are promoted or rolled back").isGreaterThan(5);
        assertThat(outcome.holdsAfterRollback()).as("promotions held after a rollback").isPositive();
        assertThat(outcome.unchanged()).as("judgements that stood from one tick to the next (not written again)").isPositive();
    }

    /** What the ticks did: moves made, promotions held after a rollback, judgements that stood unchanged. */
    private record Outcome(int moves, int holdsAfterRollback, int unchanged) {}

    /** A route's stored decision after a tick, and the version of the state it judged. */
    private record Kept(RouteDecision decision, long version) {}

    private Outcome ticksDecideAsRouteByRoute(String storeUrl, long seed) {
        TestClock clock = new TestClock(T0);
        Random random = new Random(seed);
        try (StateStore store = StateStore.open(storeUrl)) {
            GatewayConfig file = config();
            Migration migration = new Migration(store, file, clock, GateCheck.NONE);
            migration.reconcile(file);
            migration.pause("r7", "alice", "looking into it");
            try (Controller controller = new Controller(migration, store.leadership("controller"), clock, BACK_OFF,
                    StepJudge::judge, ConnectProbe.NONE)) {
                // Traffic from before the routes' start (left out, but by live routes after their look-back) onwards.
                addTraffic(store, random, T0.minus(Duration.ofMinutes(2)), T0.plus(Duration.ofMinutes(6)));
                clock.advance(Duration.ofMinutes(6).plusSeconds(3));
                int moves = 0, holdsAfterRollback = 0, unchanged = 0;
                Map<String, Kept> kept = Map.of(); // each judged route's stored decision after the last tick
                for (int tick = 0; tick < 6; tick++) {
                    Instant now = clock.instant();
                    Map<String, RouteState> before = migration.states();
                    Map<String, Judgement> expected = judgedRouteByRoute(migration, controller, now);

                    controller.tick();

                    Map<String, RouteDecision> stored = store.decisions().stream()
                            .collect(Collectors.toMap(RouteDecision::route, d -> d));
                    Map<String, RouteState> after = migration.states();
                    Map<String, Kept> keptNow = new LinkedHashMap<>();
                    for (Route route : file.routes()) {
                        String name = route.name();
                        Judgement judgement = expected.get(name);
                        Position was = Migration.position(before.get(name));
                        if (judgement == null) {
                            assertThat(Migration.position(after.get(name))).as(name + ", not judged").isEqualTo(was);
                            continue;
                        }
                        RouteDecision decision = new RouteDecision(name, now,
                                judgement.action().name().toLowerCase(Locale.ROOT), judgement.summary(), judgement.evidence());
                        // An unchanged judgement of an unchanged state is not written again: it stands since it was reached.
                        Kept last = kept.get(name);
                        boolean same = last != null && last.version() == before.get(name).version()
                                && last.decision().sameJudgementAs(decision);
                        Instant since = same ? last.decision().at() : now;
                        if (same) unchanged++;
                        keptNow.put(name, new Kept(same ? last.decision() : decision, before.get(name).version()));
                        assertThat(controller.lastDecision(name)).as(name).contains(new Controller.Decision(now, since, judgement,
                                before.get(name).version()));
                        assertThat(stored.get(name)).as(name).isEqualTo(new RouteDecision(name, since, decision.action(),
                                decision.summary(), decision.evidence()));
                        if (judgement.action() == Judgement.Action.HOLD) {
                            assertThat(Migration.position(after.get(name))).as(name + ", held").isEqualTo(was);
                            if (judgement.summary().startsWith("held after rollback")) holdsAfterRollback++;
                            continue;
                        }
                        moves++;
                        assertThat(Migration.position(after.get(name))).as(name + ", moved").isEqualTo(judgement.to().orElseThrow());
                        AuditEntry audit = store.audit(Optional.of(name), 1).getFirst();
                        assertThat(audit.actor()).isEqualTo(Migration.CONTROLLER_ACTOR);
                        assertThat(audit.action()).isEqualTo(judgement.action().name().toLowerCase(Locale.ROOT));
                        assertThat(audit.reason()).startsWith(judgement.summary());
                        assertThat(audit.evidence()).isEqualTo(judgement.evidence());
                    }
                    kept = keptNow;
                    addTraffic(store, random, now.minusSeconds(3), now.plusSeconds(60));
                    clock.advance(Duration.ofSeconds(61));
                }
                return new Outcome(moves, holdsAfterRollback, unchanged);
            }
        }
    }

    /** What the controller must conclude for each route it judges, worked out route by route from the store. */
    private static Map<String, Judgement> judgedRouteByRoute(Migration migration, Controller controller, Instant now) {
        Map<String, Judgement> judged = new LinkedHashMap<>();
        Map<String, RouteState> states = migration.states();
        for (Route route : migration.file().routes()) {
            RouteState state = states.get(route.name());
            if (!route.plan().automate() || state.paused() || state.stage() == Stage.MONOLITH
                    || state.stage() == Stage.RETIRED) continue;
            Instant since = state.stage() == Stage.LIVE && state.enteredAt().isBefore(now.minus(Controller.LIVE_LOOKBACK))
                    ? now.minus(Controller.LIVE_LOOKBACK) : state.enteredAt();
            judged.put(route.name(), controller.judge(route, state,
                    Evidence.of(migration.store().windows(route.name(), since), since, now), now));
        }
        return judged;
    }

    /** Ten-second windows of one or two gateways in {@code [from, to)}: healthy, failing, unanswered, or none, at random per route. */
    private static void addTraffic(StateStore store, Random random, Instant from, Instant to) {
        for (int r = 0; r < ROUTES; r++) {
            int kind = random.nextInt(6);
            if (kind == 0) continue;
            for (Instant start = from; start.isBefore(to); start = start.plusSeconds(10 + random.nextInt(20))) {
                long requests = 5 + random.nextInt(40);
                SideSample monolith = side(requests, random.nextInt(2), 0, random);
                SideSample service = switch (kind) {
                    case 1 -> side(requests, requests / 2, 0, random); // fails half
                    case 2 -> side(requests, requests / 3, requests / 3, random); // fails without an answer
                    default -> side(requests, random.nextInt(2), 0, random);
                };
                long compared = random.nextInt((int) requests);
                store.addWindow(new MetricWindow("gw-" + random.nextInt(2), "r" + r, start, start.plusSeconds(10),
                        monolith, service, compared, kind == 1 ? compared / 2 : compared, kind == 2 ? requests / 3 : 0));
            }
        }
    }

    private static SideSample side(long requests, long errors, long hardFailures, Random random) {
        double[] latencies = new double[(int) requests];
        for (int i = 0; i < latencies.length; i++) latencies[i] = 5 + random.nextInt(40) / 8.0;
        return new SideSample(requests, errors, hardFailures, latencies);
    }

    /** Routes in every stage the controller judges, some not automated, on one service. */
    private static GatewayConfig config() {
        return ManyRoutes.config(ROUTES, i -> switch (i % 5) {
            case 0 -> "    stage: shadow\n";
            case 1 -> "    stage: canary\n    percent: 20\n";
            case 2 -> "    stage: canary\n    percent: 60\n";
            case 3 -> "    stage: live\n";
            default -> "    stage: monolith\n";
        } + "    steps: [20, 60, 100]\n    gates: { min-requests: 50, min-time: 1m }\n"
                + (i % 11 == 10 ? "    automate: false\n" : ""));
    }
}
