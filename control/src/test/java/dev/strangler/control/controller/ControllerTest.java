package dev.strangler.control.controller;

import dev.strangler.control.migration.GateCheck;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.migration.ServiceDigest;
import dev.strangler.control.testing.Postgres;
import dev.strangler.control.testing.TestClock;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.SideSample;
import dev.strangler.core.stage.Stage;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.MetricWindow;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller on a test clock: no servers, no sleeps. Each test writes the fleet's metric windows
 * to the store as a gateway would, moves the clock, and calls {@link Controller#tick()}.
 */
class ControllerTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final BackOff BACK_OFF = new BackOff(Duration.ofMinutes(10), Duration.ofHours(4));

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(T0);
    private final List<AutoCloseable> open = new ArrayList<>();
    private StateStore store;
    private Migration migration;
    private Controller controller;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private static String config(String stage, int servicePort) {
        return config(stage, servicePort, "svc");
    }

    /** The route on {@code service}: {@code svc} (on {@code servicePort}) or {@code svc2}. */
    private static String config(String stage, int servicePort, String service) {
        return """
                monolith: { url: http://127.0.0.1:1 }
                services:
                  svc: { url: "http://127.0.0.1:%d" }
                  svc2: { url: "http://127.0.0.1:4" }
                routes:
                  - name: orders
                    match: { path: /api/orders/** }
                    service: %s
                    %s
                    steps: [20, 60, 100]
                    gates: { min-requests: 50, min-time: 1m }
                """.formatted(servicePort, service, stage);
    }

    private static GatewayConfig parse(String yaml) {
        try {
            return ConfigLoader.parse(yaml, Path.of("strangler.yaml"), Map.of());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void start(String storeUrl, String stage, Controller.Judge judge) {
        start(storeUrl, stage, judge, ConnectProbe.NONE);
    }

    private void start(String storeUrl, String stage, Controller.Judge judge, ConnectProbe probe) {
        store = StateStore.open(storeUrl);
        GatewayConfig file = parse(config(stage, 2));
        migration = new Migration(store, file, clock, GateCheck.NONE);
        migration.reconcile(file);
        controller = new Controller(migration, store.leadership("controller"), clock, BACK_OFF, judge, probe);
        open.add(store);
        open.add(controller);
    }

    private void start(String stage) {
        start("jdbc:h2:mem:controller-" + System.nanoTime(), stage, dev.strangler.core.plan.StepJudge::judge);
    }

    private RouteState state() {
        return store.routeState("orders").orElseThrow();
    }

    private String position() {
        return Migration.position(state()).toString();
    }

    /** One second of a gateway's traffic on the route, starting now. */
    private void window(SideSample monolith, SideSample service, long compared, long matched) {
        Instant start = clock.instant();
        store.addWindow(new MetricWindow("gw-1", "orders", start, start.plusSeconds(1), monolith, service, compared, matched));
    }

    private static SideSample side(long requests, long errors) {
        double[] latencies = new double[(int) Math.min(requests, 200)];
        for (int i = 0; i < latencies.length; i++) latencies[i] = 5 + (i % 10) * 0.1;
        return new SideSample(requests, errors, latencies);
    }

    /** A canary whose service fails half its requests: rolled back at the next tick. */
    private void failingCanaryIsRolledBack() {
        window(side(200, 0), side(200, 100), 0, 0);
        clock.advance(Duration.ofSeconds(2));
        controller.tick();
        assertThat(position()).isEqualTo("shadow");
    }

    /** Shadow comparisons that all match, and the step's minimum time passed. */
    private void shadowLooksGood(Duration wait) {
        window(SideSample.NONE, SideSample.NONE, 200, 200);
        clock.advance(wait);
    }

    private AuditEntry lastAudit() {
        return store.audit(Optional.of("orders"), 1).getFirst();
    }

    @Test
    void aRolledBackRouteIsHeldAndNotPromotedBeforeItsBackOffThenPromotedAfter() {
        start("stage: canary\n    percent: 20");
        failingCanaryIsRolledBack();

        RouteState held = state();
        assertThat(held.hold()).isPresent();
        assertThat(held.hold().get().until()).isEqualTo(held.enteredAt().plus(Duration.ofMinutes(10)));
        assertThat(held.automaticRollbacks()).isEqualTo(1);
        AuditEntry rollback = lastAudit();
        assertThat(rollback.actor()).isEqualTo("controller");
        assertThat(rollback.action()).isEqualTo("rollback");
        assertThat(rollback.reason()).contains("held until " + held.hold().get().until()).contains("strangler resume orders");

        shadowLooksGood(Duration.ofMinutes(5)); // shadow's gates pass (min-time 1m), but the hold has 5 minutes left
        controller.tick();
        assertThat(position()).isEqualTo("shadow");
        Judgement decision = controller.lastDecision("orders").orElseThrow().judgement();
        assertThat(decision.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(decision.summary()).startsWith("held after rollback until " + held.hold().get().until());
        assertThat(store.decisions().getFirst().summary()).startsWith("held after rollback until");

        clock.advance(Duration.ofMinutes(5)); // exactly the back-off
        controller.tick();
        assertThat(position()).isEqualTo("canary 20%");
        assertThat(lastAudit().action()).isEqualTo("promote");
        assertThat(lastAudit().reason()).endsWith("(the hold after rollback ended at " + held.hold().get().until() + ")");
        assertThat(state().hold()).isEmpty();
        assertThat(state().automaticRollbacks()).isEqualTo(1); // consecutive until the route reaches live
    }

    @Test
    void eachConsecutiveAutomaticRollbackDoublesTheHold() {
        start("stage: canary\n    percent: 20");
        failingCanaryIsRolledBack();
        shadowLooksGood(Duration.ofMinutes(10));
        controller.tick();
        assertThat(position()).isEqualTo("canary 20%");

        failingCanaryIsRolledBack();
        RouteState second = state();
        assertThat(second.automaticRollbacks()).isEqualTo(2);
        assertThat(second.hold().orElseThrow().until()).isEqualTo(second.enteredAt().plus(Duration.ofMinutes(20)));
        shadowLooksGood(Duration.ofMinutes(15));
        controller.tick();
        assertThat(position()).isEqualTo("shadow");
    }

    @Test
    void aPersonResumingTheRouteLiftsTheHold() {
        start("stage: canary\n    percent: 20");
        failingCanaryIsRolledBack();

        migration.resume("orders", "cli:alice", "fixed the connection pool");
        AuditEntry resume = lastAudit();
        assertThat(resume.action()).isEqualTo("resume");
        assertThat(resume.actor()).isEqualTo("cli:alice");
        assertThat(state().hold()).isEmpty();

        shadowLooksGood(Duration.ofMinutes(2));
        controller.tick();
        assertThat(position()).isEqualTo("canary 20%");
    }

    @Test
    void aChangedServiceUrlInTheFileLiftsTheHoldAndTheChangeIsAudited() {
        start("stage: canary\n    percent: 20");
        failingCanaryIsRolledBack();
        shadowLooksGood(Duration.ofMinutes(2));

        migration.reconcile(parse(config("stage: canary\n    percent: 20", 3))); // same stage as applied: only svc moved
        controller.tick();
        assertThat(position()).isEqualTo("shadow"); // its shadow step started again: the old evidence is not the new service's
        shadowLooksGood(Duration.ofMinutes(2));
        controller.tick();

        List<AuditEntry> log = store.audit(Optional.of("orders"), 3);
        assertThat(log.get(2).action()).isEqualTo("config");
        assertThat(log.get(1).action()).isEqualTo("hold-lifted");
        assertThat(log.get(1).reason()).contains("service svc's definition changed");
        assertThat(log.get(0).action()).isEqualTo("promote");
        assertThat(position()).isEqualTo("canary 20%");
        assertThat(state().automaticRollbacks()).isZero(); // a new service starts a new count
    }

    @Test
    void aReloadToAnotherServiceStartsTheStepAgainSoTheOldServicesMatchesDoNotPromoteIt() {
        start("stage: shadow");
        Instant shadowSince = state().enteredAt();
        shadowLooksGood(Duration.ofMinutes(2)); // svc: enough matching comparisons, and min-time passed

        migration.reconcile(parse(config("stage: shadow", 2, "svc2")));
        controller.tick();

        assertThat(position()).isEqualTo("shadow");
        assertThat(state().enteredAt()).isEqualTo(clock.instant()).isAfter(shadowSince);
        assertThat(state().stepService()).map(RouteState.StepService::name).contains("svc2");
        AuditEntry restart = store.audit(Optional.of("orders"), 1).getFirst();
        assertThat(restart.actor()).isEqualTo("config");
        assertThat(restart.action()).isEqualTo("config");
        assertThat(restart.toStage()).isEqualTo(Stage.SHADOW);
        assertThat(restart.reason()).isEqualTo("strangler.yaml: service svc2 replaces svc: the shadow step starts again, "
                + "so the gates judge only the new service's evidence (min-time counts from now)");
        assertThat(controller.lastDecision("orders").orElseThrow().judgement().summary()).contains("0 of 50");

        shadowLooksGood(Duration.ofMinutes(2)); // svc2's own evidence
        controller.tick();
        assertThat(position()).isEqualTo("canary 20%");
    }

    @Test
    void aReloadThatRedefinesTheServiceJudgesItsMatchRateWithoutTheOldDefinitionsMismatches() {
        start("stage: shadow");
        window(SideSample.NONE, SideSample.NONE, 200, 0); // the old deployment got every answer wrong
        clock.advance(Duration.ofSeconds(2));

        migration.reconcile(parse(config("stage: shadow", 3)));
        shadowLooksGood(Duration.ofMinutes(2));
        controller.tick();

        assertThat(position()).isEqualTo("canary 20%"); // 200 of 400 (50%) had the old mismatches counted
        assertThat(store.audit(Optional.of("orders"), 2).get(1).reason())
                .startsWith("strangler.yaml: service svc's definition changed (URLs, timeouts, pool or trust): the shadow step starts again");
    }

    @Test
    void aReloadThatMovesALiveRoutesServiceDoesNotJudgeItOnTheOldServicesFailures() {
        start("jdbc:h2:mem:controller-" + System.nanoTime(), "stage: live", (at, plan, evidence) ->
                evidence.service().errors() > 0
                        ? new Judgement(Judgement.Action.ROLLBACK, at, Optional.of(Position.SHADOW), "service failing", List.of())
                        : new Judgement(Judgement.Action.HOLD, at, Optional.empty(), "live and well", List.of()));
        window(SideSample.NONE, side(10, 10), 0, 0); // the old deployment failed, within the live lookback
        clock.advance(Duration.ofSeconds(1));

        migration.reconcile(parse(config("stage: live", 3)));
        clock.advance(Duration.ofSeconds(1));
        controller.tick();

        assertThat(position()).isEqualTo("live");
        assertThat(store.audit(Optional.of("orders"), 1).getFirst().reason()).contains("the live step starts again");
    }

    @Test
    void theSameFileReconciledAgainAsAtARestartDoesNotStartTheStepAgain() {
        start("jdbc:h2:file:" + dir.resolve("state"), "stage: shadow", dev.strangler.core.plan.StepJudge::judge);
        RouteState before = state();
        clock.advance(Duration.ofMinutes(2));

        migration.reconcile(parse(config("stage: shadow", 2)));
        Migration restarted = new Migration(store, parse(config("stage: shadow", 2)), clock, GateCheck.NONE);
        restarted.reconcile(parse(config("stage: shadow", 2)));

        assertThat(state()).isEqualTo(before);
        assertThat(store.audit(Optional.of("orders"), 10)).extracting(AuditEntry::action).containsExactly("create");
    }

    @Test
    void aRouteInMonolithKeepsItsStepWhenItsServiceChangesButRemembersTheNewOne() {
        start("stage: monolith");
        RouteState before = state();
        clock.advance(Duration.ofMinutes(2));

        migration.reconcile(parse(config("stage: monolith", 2, "svc2")));

        assertThat(state().enteredAt()).isEqualTo(before.enteredAt());
        assertThat(state().stepService()).map(RouteState.StepService::name).contains("svc2");
        assertThat(store.audit(Optional.of("orders"), 10)).extracting(AuditEntry::action).containsExactly("create");
    }

    @Test
    void aStateWrittenBeforeItsServiceWasKeptRecordsItWithoutStartingTheStepAgain() {
        start("stage: canary\n    percent: 20");
        RouteState upgraded = state().withStepService(Optional.empty()); // as the store's migration V11 leaves a row
        assertThat(store.compareAndSet(upgraded.version(), upgraded, null)).isTrue();
        clock.advance(Duration.ofMinutes(2));

        migration.reconcile(parse(config("stage: canary\n    percent: 20", 3)));

        assertThat(state().enteredAt()).isEqualTo(upgraded.enteredAt());
        assertThat(state().stepService()).contains(new RouteState.StepService("svc", ServiceDigest.of(
                parse(config("stage: canary\n    percent: 20", 3)).services().get("svc"))));
    }

    @Test
    void aRestartKeepsTheHoldOnH2() {
        restartKeepsTheHold("jdbc:h2:file:" + dir.resolve("state"));
    }

    @Test
    void aRestartKeepsTheHoldOnPostgres() {
        Postgres postgres = Postgres.schemaOrSkip();
        open.add(postgres);
        restartKeepsTheHold(postgres.url());
    }

    private void restartKeepsTheHold(String url) {
        start(url, "stage: canary\n    percent: 20", dev.strangler.core.plan.StepJudge::judge);
        failingCanaryIsRolledBack();
        controller.close();
        store.close();
        open.clear();

        start(url, "stage: canary\n    percent: 20", dev.strangler.core.plan.StepJudge::judge);
        assertThat(state().hold()).isPresent();
        shadowLooksGood(Duration.ofMinutes(5));
        controller.tick();
        assertThat(position()).isEqualTo("shadow");
        assertThat(controller.lastDecision("orders").orElseThrow().judgement().summary()).startsWith("held after rollback until");
    }

    @Test
    void aLiveRouteWhoseServiceFailsIsMovedOutOfLiveWhereTheJudgeSaysAndHeld() {
        List<Position> judged = new ArrayList<>();
        start("jdbc:h2:mem:controller-" + System.nanoTime(), "stage: live", (at, plan, evidence) -> {
            judged.add(at);
            // What the judge says of a live service that fails: back to the last canary step.
            return evidence.service().errors() > 0
                    ? new Judgement(Judgement.Action.ROLLBACK, at, Optional.of(Position.canary(60)), "service unreachable", List.of("errors: FAIL"))
                    : new Judgement(Judgement.Action.HOLD, at, Optional.empty(), "live and well", List.of());
        });
        controller.tick();
        assertThat(position()).isEqualTo("live");

        window(SideSample.NONE, side(10, 10), 0, 0);
        clock.advance(Duration.ofSeconds(1));
        controller.tick();

        assertThat(judged).containsExactly(Position.LIVE, Position.LIVE);
        assertThat(position()).isEqualTo("canary 60%");
        assertThat(lastAudit().action()).isEqualTo("rollback");
        assertThat(lastAudit().evidence()).containsExactly("errors: FAIL");
        assertThat(state().hold()).isPresent();
    }

    @Test
    void aRetiredRouteIsNeverJudgedNorMoved() {
        List<Position> judged = new ArrayList<>();
        start("jdbc:h2:mem:controller-" + System.nanoTime(), "stage: retired", (at, plan, evidence) -> {
            judged.add(at);
            return new Judgement(Judgement.Action.ROLLBACK, at, Optional.of(Position.SHADOW), "would roll back", List.of());
        });
        window(SideSample.NONE, side(10, 10), 0, 0);
        clock.advance(Duration.ofSeconds(1));
        controller.tick();

        assertThat(judged).isEmpty();
        assertThat(state().stage()).isEqualTo(Stage.RETIRED);
        assertThat(controller.lastDecision("orders")).isEmpty();
    }

    /** A probe that answers {@code outcome} and records what it was asked. */
    private static final class RecordingProbe implements ConnectProbe {
        final List<String> asked = new ArrayList<>();
        final Outcome outcome;

        RecordingProbe(Outcome outcome) {
            this.outcome = outcome;
        }

        @Override
        public Outcome connect(String host, int port, Duration timeout) {
            asked.add(host + ":" + port + " within " + timeout);
            return outcome;
        }
    }

    private void startProbing(String stage, ConnectProbe probe) {
        start("jdbc:h2:mem:controller-" + System.nanoTime(), stage, dev.strangler.core.plan.StepJudge::judge, probe);
    }

    @Test
    void oneUnansweredRequestIsConfirmedByARefusedProbeAndRolledBackAtOnceNamingBoth() {
        RecordingProbe probe = new RecordingProbe(ConnectProbe.Outcome.REFUSED);
        startProbing("stage: canary\n    percent: 20", probe);
        window(side(200, 0), new SideSample(1, 1, 1, new double[0]), 0, 0); // too few for the fast path
        clock.advance(Duration.ofSeconds(2));
        controller.tick();

        assertThat(probe.asked).containsExactly("127.0.0.1:2 within " + migration.file().service("svc").connectTimeout());
        assertThat(position()).isEqualTo("shadow");
        assertThat(lastAudit().reason()).startsWith(
                "service unreachable: 1 of 1 requests got no answer; a probe connect to 127.0.0.1:2 was refused");
        assertThat(lastAudit().evidence()).contains("probe: a probe connect to 127.0.0.1:2 was refused: FAIL");
    }

    @Test
    void aProbeThatConnectsLeavesTheJudgementAsItWasAndSaysSo() {
        RecordingProbe probe = new RecordingProbe(ConnectProbe.Outcome.CONNECTED);
        startProbing("stage: canary\n    percent: 20", probe);
        window(side(200, 0), new SideSample(1, 1, 1, new double[0]), 0, 0);
        clock.advance(Duration.ofSeconds(2));
        controller.tick();

        assertThat(probe.asked).hasSize(1);
        assertThat(position()).isEqualTo("canary 20%");
        Judgement decision = controller.lastDecision("orders").orElseThrow().judgement();
        assertThat(decision.action()).isEqualTo(Judgement.Action.HOLD);
        assertThat(decision.evidence()).contains("probe: a probe connect to 127.0.0.1:2 connected: PASS");
    }

    @Test
    void withoutAnUnansweredRequestNothingIsProbedEvenWhenTheServiceAnswersErrors() {
        RecordingProbe probe = new RecordingProbe(ConnectProbe.Outcome.REFUSED);
        startProbing("stage: canary\n    percent: 20", probe);
        window(side(200, 0), side(1, 1), 0, 0); // a 500: an answer
        clock.advance(Duration.ofSeconds(2));
        controller.tick();
        window(side(200, 0), side(20, 0), 0, 0);
        clock.advance(Duration.ofSeconds(2));
        controller.tick();

        assertThat(probe.asked).isEmpty();
        assertThat(position()).isEqualTo("canary 20%");
    }
}
