package dev.strangler.control.controller;

import dev.strangler.control.migration.GateCheck;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.testing.Postgres;
import dev.strangler.control.testing.TestClock;
import dev.strangler.core.config.ConfigLoader;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tick over many routes decides what judging each route alone on its own windows decides: before
 * every tick the test works out, route by route, what the controller should conclude — each route's
 * windows read on their own ({@link StateStore#windows(String, Instant)}) from its own start, given
 * to the controller's judgement of one route ({@link StepJudge}, the probe, the hold after rollback)
 * — then checks the decisions the tick kept (store and {@link Controller#lastDecision}), the moves it
 * made and their audit. The routes mix every judged stage, routes the controller leaves alone, old and recent live
 * routes, and random traffic: healthy, failing, failing without an answer, none.
 */
class ControllerManyRoutesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final int ROUTES = 60;
    private static final BackOff BACK_OFF = new BackOff(Duration.ofMinutes(10), Duration.ofHours(4));

    @TempDir
    Path dir;

    @Test
    void aTickOverManyRoutesDecidesWhatJudgingEachRouteAloneDecidesOnH2() {
        ticksDecideAsRouteByRoute("jdbc:h2:file:" + dir.resolve("state"));
    }

    @Test
    void aTickOverManyRoutesDecidesWhatJudgingEachRouteAloneDecidesOnPostgres() {
        try (Postgres postgres = Postgres.schemaOrSkip()) {
            ticksDecideAsRouteByRoute(postgres.url());
        }
    }

    private void ticksDecideAsRouteByRoute(String storeUrl) {
        TestClock clock = new TestClock(T0);
        Random random = new Random(14);
        try (StateStore store = StateStore.open(storeUrl)) {
            GatewayConfig file = parse(config());
            Migration migration = new Migration(store, file, clock, GateCheck.NONE);
            migration.reconcile(file);
            migration.pause("r7", "alice", "looking into it");
            try (Controller controller = new Controller(migration, store.leadership("controller"), clock, BACK_OFF,
                    StepJudge::judge, ConnectProbe.NONE)) {
                // Traffic from before the routes' start (left out, but by live routes after their look-back) onwards.
                addTraffic(store, random, T0.minus(Duration.ofMinutes(2)), T0.plus(Duration.ofMinutes(6)));
                clock.advance(Duration.ofMinutes(6).plusSeconds(3));
                int moves = 0, holdsAfterRollback = 0;
                for (int tick = 0; tick < 6; tick++) {
                    Instant now = clock.instant();
                    Map<String, RouteState> before = migration.states();
                    Map<String, Judgement> expected = judgedRouteByRoute(migration, controller, now);

                    controller.tick();

                    Map<String, RouteDecision> stored = store.decisions().stream()
                            .collect(Collectors.toMap(RouteDecision::route, d -> d));
                    Map<String, RouteState> after = migration.states();
                    for (Route route : file.routes()) {
                        String name = route.name();
                        Judgement judgement = expected.get(name);
                        Position was = Migration.position(before.get(name));
                        if (judgement == null) {
                            assertThat(Migration.position(after.get(name))).as(name + ", not judged").isEqualTo(was);
                            continue;
                        }
                        assertThat(controller.lastDecision(name)).as(name).contains(new Controller.Decision(now, judgement));
                        assertThat(stored.get(name)).as(name).isEqualTo(new RouteDecision(name, now,
                                judgement.action().name().toLowerCase(Locale.ROOT), judgement.summary(), judgement.evidence()));
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
                    addTraffic(store, random, now.minusSeconds(3), now.plusSeconds(60));
                    clock.advance(Duration.ofSeconds(61));
                }
                assertThat(moves).as("moves: some routes are promoted or rolled back").isGreaterThan(5);
                assertThat(holdsAfterRollback).as("promotions held after a rollback").isPositive();
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
    private static String config() {
        StringBuilder yaml = new StringBuilder("""
                monolith: { url: "http://127.0.0.1:1" }
                services:
                  svc: { url: "http://127.0.0.1:2" }
                routes:
                """);
        for (int i = 0; i < ROUTES; i++) {
            yaml.append("  - name: r").append(i).append("\n    match: { path: \"/api/r").append(i).append("/**\" }\n")
                    .append("    service: svc\n")
                    .append(switch (i % 5) {
                        case 0 -> "    stage: shadow\n";
                        case 1 -> "    stage: canary\n    percent: 20\n";
                        case 2 -> "    stage: canary\n    percent: 60\n";
                        case 3 -> "    stage: live\n";
                        default -> "    stage: monolith\n";
                    })
                    .append("    steps: [20, 60, 100]\n    gates: { min-requests: 50, min-time: 1m }\n");
            if (i % 11 == 10) yaml.append("    automate: false\n");
        }
        return yaml.toString();
    }

    private static GatewayConfig parse(String yaml) {
        try {
            return ConfigLoader.parse(yaml, Path.of("strangler.yaml"), Map.of());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
