package dev.strangler.control.controller;

import dev.strangler.control.migration.GateCheck;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.testing.Postgres;
import dev.strangler.control.testing.TestClock;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.Position;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.RouteDecision;
import dev.strangler.store.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person who moves or pauses a route while a controller tick judges it wins: the tick's judgement
 * of the state the route left is neither shown as its latest decision (the store keeps a decision
 * only for the state it was judged on) nor carried out (the move is a compare-and-set on that state).
 *
 * <p>The interleaving is exact, not a race: the controller's store is wrapped so that a person's
 * change runs, once, right before the tick calls the store at a chosen point — after the tick read
 * the states and judged, before it keeps its decisions or before it moves the route. The person
 * calls the store directly (a second {@link Migration}, as the admin API of another gateway would).
 * Time is the test clock.
 */
class PersonsMoveDuringTickTest {
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
    /** The person's change, run once before the controller's next call of {@link #interleaveBefore}. */
    private Runnable personsChange;
    private String interleaveBefore;
    private StateStore store;
    private Migration person;
    private Controller controller;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
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

        assertThat(personsChange).as("the person's rollback ran inside the tick").isNull();
        assertThat(store.decisions()).as("cleared by the person's move, not written over by the tick").isEmpty();
        assertThat(controller.lastDecision(ROUTE)).isEmpty();
        assertThat(position()).isEqualTo(Position.SHADOW);
        assertThat(lastAudit().actor()).isEqualTo("alice");

        clock.advance(Duration.ofSeconds(10)); // the next tick judges the position the person chose
        controller.tick();
        assertThat(store.decisions()).extracting(RouteDecision::action, RouteDecision::at)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("promote", clock.instant()));
    }

    @Test
    void aPauseByAPersonWhileTheTickJudgesKeepsTheDecisionShownBeforeAndTheRouteWhereItWas() {
        start("jdbc:h2:file:" + dir.resolve("state"));
        verdict = Judgement.Action.HOLD;
        controller.tick();
        Instant held = clock.instant();

        clock.advance(Duration.ofSeconds(10));
        verdict = Judgement.Action.PROMOTE;
        interleave("saveDecisions", () -> person.pause(ROUTE, "alice", "investigating"));
        controller.tick();

        assertThat(personsChange).isNull();
        assertThat(store.decisions()).extracting(RouteDecision::action, RouteDecision::at)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hold", held));
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

        assertThat(personsChange).isNull();
        assertThat(position()).isEqualTo(Position.MONOLITH);
        assertThat(store.audit(Optional.of(ROUTE), 10)).extracting(AuditEntry::actor).doesNotContain(Migration.CONTROLLER_ACTOR);
        assertThat(store.decisions()).isEmpty();
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
        Migration controllers = new Migration(interleaving(real), file, clock, GateCheck.NONE);
        controller = new Controller(controllers, real.leadership("controller"), clock,
                new BackOff(Duration.ofMinutes(10), Duration.ofHours(4)), this::judge, ConnectProbe.NONE);
        open.add(controller);
    }

    private Judgement judge(Position at, dev.strangler.core.plan.PromotionPlan plan, dev.strangler.core.plan.StepEvidence evidence) {
        return verdict == Judgement.Action.HOLD
                ? new Judgement(Judgement.Action.HOLD, at, Optional.empty(), "waiting for data", List.of("requests: 0"))
                : new Judgement(Judgement.Action.PROMOTE, at, Optional.of(Position.canary(60)), "every gate passed",
                List.of("requests: 500"));
    }

    private void interleave(String beforeCall, Runnable change) {
        interleaveBefore = beforeCall;
        personsChange = change;
    }

    /** The store, running the person's change once right before the controller's call it waits for. */
    private StateStore interleaving(StateStore real) {
        return (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(), new Class<?>[] {StateStore.class},
                (proxy, method, args) -> {
                    Runnable change = personsChange;
                    if (change != null && method.getName().equals(interleaveBefore)) {
                        personsChange = null;
                        change.run();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Position position() {
        return Migration.position(store.routeState(ROUTE).orElseThrow());
    }

    private AuditEntry lastAudit() {
        return store.audit(Optional.of(ROUTE), 1).getFirst();
    }
}
