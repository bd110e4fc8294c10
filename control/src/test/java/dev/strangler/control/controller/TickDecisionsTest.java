package dev.strangler.control.controller;

import dev.strangler.control.migration.GateCheck;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.testing.CountingStore;
import dev.strangler.control.testing.Postgres;
import dev.strangler.control.testing.TestClock;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.Leadership;
import dev.strangler.store.RouteDecision;
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
import static org.assertj.core.groups.Tuple.tuple;

/**
 * What a controller tick keeps as each route's decision.
 *
 * <p>A judgement that says what the last one said, of the same state of the route, is not written
 * again: the stored decision's {@code at} stays when it was reached, while {@link Controller#lastDecision}
 * tells when the route was last judged. Anything else — another summary, a new state, a new leader — is.
 *
 * <p>A person who moves or pauses a route while a controller tick judges it wins: the tick's judgement
 * of the state the route left is neither shown as its latest decision (the store keeps a decision
 * only for the state it was judged on) nor carried out (the move is a compare-and-set on that state).
 *
 * <p>The interleaving is exact, not a race: the controller's store is wrapped ({@link CountingStore}) so that a
 * person's change runs, once, right before the tick calls the store at a chosen point — after the tick read
 * the states and judged, before it keeps its decisions or before it moves the route. The person
 * calls the store directly (a second {@link Migration}, as the admin API of another gateway would).
 * Time is the test clock.
 */
class TickDecisionsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final String ROUTE = "orders";
    private static final String CONFIG = """
            monolith: { url: http://127.0.0.1:1 }
            services:
              svc: { url: "http://127.0.0.1:2" }
            routes:
              - name: orders
                match: { path: /api/orders/** }
                service: svc
                stage: canary
                percent: 20
                steps: [20, 60, 100]
            """;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(T0);
    private final List<AutoCloseable> open = new ArrayList<>();
    /** What the judge concludes at the next tick. */
    private Judgement.Action verdict = Judgement.Action.PROMOTE;
    /** The hold's summary, when the verdict is to hold. */
    private String holdSummary = "waiting for data";
    /** Whether this process holds the controller's role. */
    private boolean leads = true;
    private StateStore store;
    /** The controller's view of the store, which counts its calls and runs a person's change inside them. */
    private CountingStore seen;
    private Migration person;
    private Controller controller;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    @Test
    void aJudgementThatStandsIsNotWrittenAgainAndItsTimeIsWhenItWasReached() {
        Instant reached = holdingOnH2();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(10));
            controller.tick();
        }

        assertThat(seen.calls("saveDecisions")).as("written once").isEqualTo(1);
        assertThat(store.decisions()).extracting(RouteDecision::action, RouteDecision::at)
                .containsExactly(tuple("hold", reached));
        Controller.Decision last = controller.lastDecision(ROUTE).orElseThrow();
        assertThat(last.at()).as("last judged").isEqualTo(clock.instant());
        assertThat(last.since()).isEqualTo(reached);

        clock.advance(Duration.ofSeconds(10));
        holdSummary = "waiting for data (3 of 50)"; // new numbers: a new judgement
        controller.tick();
        assertThat(store.decisions()).extracting(RouteDecision::summary, RouteDecision::at)
                .containsExactly(tuple(holdSummary, clock.instant()));
    }

    /** The same words about another state of the route (here: paused and resumed by a person) are a new judgement. */
    @Test
    void theSameJudgementOfANewStateOfTheRouteIsWritten() {
        holdingOnH2();
        person.pause(ROUTE, "alice", "a look");
        person.resume(ROUTE, "alice", "done");
        clock.advance(Duration.ofSeconds(10));
        controller.tick();

        assertThat(seen.calls("saveDecisions")).isEqualTo(2);
        assertThat(store.decisions()).extracting(RouteDecision::at).containsExactly(clock.instant());
    }

    /**
     * The controller's own last judgement follows the route's state as the store keeps it: a person's pause
     * between two ticks leaves a judgement of the unpaused route, which the next tick (which judges no
     * paused route) must not go on reporting as current.
     */
    @Test
    void aPauseByAPersonBetweenTicksEndsTheControllersLastJudgementOfTheRoute() {
        holdingOnH2();
        assertThat(controller.lastDecision(ROUTE)).isPresent();
        person.pause(ROUTE, "alice", "a look");
        RouteState paused = store.routeState(ROUTE).orElseThrow();
        assertThat(controller.lastDecision(paused)).as("before the next tick, asked about the paused state").isEmpty();

        clock.advance(Duration.ofSeconds(10));
        controller.tick();
        assertThat(controller.lastDecision(ROUTE)).isEmpty();

        person.resume(ROUTE, "alice", "done");
        clock.advance(Duration.ofSeconds(10));
        controller.tick();
        Controller.Decision resumed = controller.lastDecision(ROUTE).orElseThrow();
        assertThat(resumed.since()).as("judged anew").isEqualTo(clock.instant());
        assertThat(resumed.stateVersion()).isEqualTo(store.routeState(ROUTE).orElseThrow().version());
    }

    /** A person's move to a position the controller does not judge clears the stored decision, and the controller's own. */
    @Test
    void aMoveByAPersonBetweenTicksToAnUnjudgedPositionEndsTheControllersLastJudgement() {
        holdingOnH2();
        person.rollback(ROUTE, Optional.of(Position.MONOLITH), false, "alice", "back to the monolith");
        clock.advance(Duration.ofSeconds(10));
        controller.tick();

        assertThat(store.decisions()).isEmpty();
        assertThat(controller.lastDecision(ROUTE)).isEmpty();
    }

    /** A leader that lost the role and took it back writes again: another leader may have written meanwhile. */
    @Test
    void aControllerThatLeadsAgainWritesItsJudgementsAgain() {
        holdingOnH2();
        store.saveDecision(new RouteDecision(ROUTE, clock.instant(), "promote", "another leader's", List.of()));
        leads = false;
        controller.tick();
        leads = true;
        clock.advance(Duration.ofSeconds(10));
        controller.tick();

        assertThat(seen.calls("saveDecisions")).isEqualTo(2);
        assertThat(store.decisions()).extracting(RouteDecision::action, RouteDecision::at)
                .containsExactly(tuple("hold", clock.instant()));
    }

    @Test
    void aRollbackByAPersonWhileTheTickJudgesIsNotOverwrittenByTheTicksDecisionOnH2() {
        aRollbackByAPersonWhileTheTickJudgesIsNotOverwrittenByTheTicksDecision("jdbc:h2:file:" + dir.resolve("state"));
    }

    @Test
    void aRollbackByAPersonWhileTheTickJudgesIsNotOverwrittenByTheTicksDecisionOnPostgres() {
        Postgres postgres = Postgres.schemaOrSkip();
        open.add(postgres);
        aRollbackByAPersonWhileTheTickJudgesIsNotOverwrittenByTheTicksDecision(postgres.url());
    }

    private void aRollbackByAPersonWhileTheTickJudgesIsNotOverwrittenByTheTicksDecision(String url) {
        start(url);
        verdict = Judgement.Action.HOLD;
        controller.tick();
        assertThat(store.decisions()).extracting(RouteDecision::action).containsExactly("hold");

        clock.advance(Duration.ofSeconds(10));
        verdict = Judgement.Action.PROMOTE;
        interleave("saveDecisions", () -> person.rollback(ROUTE, Optional.empty(), false, "alice", "checkout errors"));
        controller.tick();

        assertThat(seen.waiting("saveDecisions")).as("the person's rollback ran inside the tick").isFalse();
        assertThat(store.decisions()).as("cleared by the person's move, not written over by the tick").isEmpty();
        assertThat(controller.lastDecision(ROUTE)).isEmpty();
        assertThat(position()).isEqualTo(Position.SHADOW);
        assertThat(lastAudit().actor()).isEqualTo("alice");

        clock.advance(Duration.ofSeconds(10)); // the next tick judges the position the person chose
        controller.tick();
        assertThat(store.decisions()).extracting(RouteDecision::action, RouteDecision::at)
                .containsExactly(tuple("promote", clock.instant()));
    }

    @Test
    void aPauseByAPersonWhileTheTickJudgesKeepsTheDecisionShownBeforeAndTheRouteWhereItWas() {
        Instant held = holdingOnH2();

        clock.advance(Duration.ofSeconds(10));
        verdict = Judgement.Action.PROMOTE;
        interleave("saveDecisions", () -> person.pause(ROUTE, "alice", "investigating"));
        controller.tick();

        assertThat(seen.waiting("saveDecisions")).isFalse();
        assertThat(store.decisions()).extracting(RouteDecision::action, RouteDecision::at)
                .containsExactly(tuple("hold", held));
        assertThat(position()).isEqualTo(Position.canary(20));
        assertThat(store.routeState(ROUTE).orElseThrow().paused()).isTrue();
    }

    /** The state path: the tick kept its decision, then the person moved before the controller's move. */
    @Test
    void aMoveByAPersonJustBeforeTheControllersMoveWinsAndClearsTheDecision() {
        start("jdbc:h2:file:" + dir.resolve("state"));
        interleave("compareAndSet", () -> person.rollback(ROUTE, Optional.of(Position.MONOLITH), false, "alice",
                "back to the monolith"));
        controller.tick();

        assertThat(seen.waiting("compareAndSet")).isFalse();
        assertThat(position()).isEqualTo(Position.MONOLITH);
        assertThat(store.audit(Optional.of(ROUTE), 10)).extracting(AuditEntry::actor).doesNotContain(Migration.CONTROLLER_ACTOR);
        assertThat(store.decisions()).isEmpty();
    }

    /** A controller on H2 that has judged the route once, to hold; when it did. */
    private Instant holdingOnH2() {
        start("jdbc:h2:file:" + dir.resolve("state"));
        verdict = Judgement.Action.HOLD;
        controller.tick();
        return clock.instant();
    }

    private void start(String url) {
        StateStore real = StateStore.open(url);
        open.add(real);
        store = real;
        GatewayConfig file;
        try {
            file = ConfigLoader.parse(CONFIG, Path.of("strangler.yaml"), Map.of());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        person = new Migration(real, file, clock, GateCheck.NONE);
        person.reconcile(file);
        seen = new CountingStore(real);
        Migration controllers = new Migration(seen.store(), file, clock, GateCheck.NONE);
        controller = new Controller(controllers, leadership(), clock,
                new BackOff(Duration.ofMinutes(10), Duration.ofHours(4)), this::judge, ConnectProbe.NONE);
        open.add(controller);
    }

    private Judgement judge(Position at, dev.strangler.core.plan.PromotionPlan plan, dev.strangler.core.plan.StepEvidence evidence) {
        return verdict == Judgement.Action.HOLD
                ? new Judgement(Judgement.Action.HOLD, at, Optional.empty(), holdSummary, List.of("requests: 0"))
                : new Judgement(Judgement.Action.PROMOTE, at, Optional.of(Position.canary(60)), "every gate passed",
                List.of("requests: 500"));
    }

    /** The role, held while {@link #leads}. */
    private Leadership leadership() {
        return new Leadership() {
            @Override
            public boolean tryHold() {
                return leads;
            }

            @Override
            public boolean held() {
                return leads;
            }

            @Override
            public void close() {
            }
        };
    }

    /** The person's change, run once right before the controller's next call of {@code storeMethod}. */
    private void interleave(String storeMethod, Runnable change) {
        seen.beforeNext(storeMethod, change);
    }

    private Position position() {
        return Migration.position(store.routeState(ROUTE).orElseThrow());
    }

    private AuditEntry lastAudit() {
        return store.audit(Optional.of(ROUTE), 1).getFirst();
    }
}
