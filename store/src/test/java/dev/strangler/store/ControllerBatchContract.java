package dev.strangler.store;

import dev.strangler.core.plan.SideSample;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.strangler.store.Fixtures.T0;
import static dev.strangler.store.Fixtures.creation;
import static dev.strangler.store.Fixtures.state;
import static dev.strangler.store.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's calls for the controller's tick over many routes — every route's windows from its own
 * start in one call, the decisions in one transaction — answer exactly what the one-route calls do,
 * and a decision is kept only while its route is at the state version it judged. Each database runs
 * it against a store of its own.
 */
abstract class ControllerBatchContract {

    /** A URL naming the same, initially empty, store on every call within one test. */
    abstract String url();

    @Test
    void eachAskedRouteGetsTheWindowsItWouldGetAskedAlone() {
        try (StateStore store = StateStore.open(url())) {
            store.addWindow(window("gw-2", "posts", T0, 20, 2));
            store.addWindow(window("gw-1", "posts", T0, 10, 1));
            store.addWindow(window("gw-1", "posts", T0.plusSeconds(10), 7, 4));
            store.addWindow(window("gw-1", "posts", T0.minusSeconds(10), 5, 3));
            store.addWindow(window("gw-1", "users", T0, 99, 9));
            store.addWindow(window("gw-1", "users", T0.plusSeconds(10), 98, 8));
            store.addWindow(window("gw-1", "unasked", T0, 1, 1));
            Map<String, Instant> asked = new LinkedHashMap<>();
            asked.put("posts", T0);
            asked.put("users", T0.plusSeconds(5));
            asked.put("quiet", T0.minus(Duration.ofDays(1)));

            Map<String, List<MetricWindow>> windows = store.windows(asked);

            assertThat(windows).containsOnlyKeys("posts", "users", "quiet");
            assertThat(windows.get("posts")).extracting(MetricWindow::gateway, MetricWindow::start).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("gw-1", T0), org.assertj.core.groups.Tuple.tuple("gw-2", T0),
                    org.assertj.core.groups.Tuple.tuple("gw-1", T0.plusSeconds(10)));
            assertThat(windows.get("users")).extracting(MetricWindow::start).containsExactly(T0.plusSeconds(10));
            assertThat(windows.get("quiet")).isEmpty();
            asked.forEach((route, since) -> assertThat(windows.get(route)).isEqualTo(store.windows(route, since)));
        }
    }

    @Test
    void askingForNoRouteReadsNothing() {
        try (StateStore store = StateStore.open(url())) {
            store.addWindow(window("gw-1", "posts", T0, 10, 1));

            assertThat(store.windows(Map.of())).isEmpty();
        }
    }

    /** More routes than one query asks for, with random windows and starts: the same as asking route by route. */
    @Test
    void manyRoutesEachWithItsOwnStartGetWhatEachWouldGetAskedAlone() {
        try (StateStore store = StateStore.open(url())) {
            Random random = new Random(14);
            int routes = MetricWindowTable.ROUTES_PER_QUERY + 90;
            Map<String, Instant> asked = new LinkedHashMap<>();
            for (int r = 0; r < routes; r++) {
                String route = "r" + r;
                asked.put(route, T0.plusSeconds(10L * random.nextInt(4)).plusNanos(random.nextInt(2) * 1000L));
                if (r % 4 != 0) continue; // most routes have no traffic, as in a large plan
                for (int w = 0; w < random.nextInt(4); w++) {
                    SideSample side = new SideSample(random.nextInt(50), 0, new double[] {random.nextInt(100) / 4.0});
                    Instant start = T0.plusSeconds(10L * random.nextInt(5));
                    store.addWindow(new MetricWindow("gw-" + random.nextInt(2), route, start, start.plusSeconds(10),
                            side, side, 0, 0));
                }
            }
            store.addWindow(window("gw-1", "r" + (routes - 1), T0.plusSeconds(30), 10, 1)); // in the last query

            Map<String, List<MetricWindow>> windows = store.windows(asked);

            assertThat(windows).hasSize(routes);
            assertThat(windows.values().stream().mapToInt(List::size).sum()).isPositive();
            asked.forEach((route, since) -> assertThat(windows.get(route)).as(route).isEqualTo(store.windows(route, since)));
        }
    }

    @Test
    void savedDecisionsReplaceEachRoutesLastOneTheLastOfARouteWinningAndOthersKept() {
        try (StateStore store = StateStore.open(url())) {
            createStates(store, "feed", "posts", "users");
            store.saveDecision(new RouteDecision("posts", T0, "hold", "waiting for data", List.of("error rate: NOT_ENOUGH_DATA")));
            store.saveDecision(new RouteDecision("feed", T0, "hold", "kept", List.of()));

            Set<String> written = store.saveDecisions(List.of(
                    judged(new RouteDecision("posts", T0.plusSeconds(10), "hold", "still waiting", List.of("a", "b"))),
                    judged(new RouteDecision("users", T0.plusSeconds(10), "promote", "every gate passed", List.of())),
                    judged(new RouteDecision("posts", T0.plusSeconds(10), "rollback", "the service fails", List.of("c")))));

            assertThat(written).containsExactlyInAnyOrder("posts", "users");
            assertThat(store.saveDecisions(List.of())).isEmpty();
        }
        try (StateStore reopened = StateStore.open(url())) {
            assertThat(reopened.decisions()).containsExactly(
                    new RouteDecision("feed", T0, "hold", "kept", List.of()),
                    new RouteDecision("posts", T0.plusSeconds(10), "rollback", "the service fails", List.of("c")),
                    new RouteDecision("users", T0.plusSeconds(10), "promote", "every gate passed", List.of()));
        }
    }

    /**
     * A judgement of a state that changed since it was read (a person moved or paused the route while
     * the controller judged it) is not kept: the route keeps what it had, here the decision its move
     * cleared. A route without a state has nothing to judge.
     */
    @Test
    void aDecisionJudgedOnAVersionTheRouteHasLeftIsNotKept() {
        try (StateStore store = StateStore.open(url())) {
            createStates(store, "posts", "users", "feed");
            store.saveDecision(new RouteDecision("users", T0, "hold", "waiting for data", List.of()));
            store.saveDecision(new RouteDecision("feed", T0, "hold", "kept", List.of()));
            assertThat(store.compareAndSet(1, state("users", Stage.SHADOW, 0, 2), null)).isTrue(); // a person's move,
            store.clearDecision("users"); // which forgets the judgement of the position the route left
            assertThat(store.compareAndSet(1, state("feed", Stage.CANARY, 5, 2).withPaused(true), null)).isTrue();

            Set<String> written = store.saveDecisions(List.of(
                    judged(new RouteDecision("posts", T0.plusSeconds(10), "promote", "every gate passed", List.of())),
                    judged(new RouteDecision("users", T0.plusSeconds(10), "promote", "every gate passed", List.of("a"))),
                    judged(new RouteDecision("feed", T0.plusSeconds(10), "rollback", "the service fails", List.of())),
                    judged(new RouteDecision("unknown", T0.plusSeconds(10), "hold", "no state", List.of()))));

            assertThat(written).containsExactly("posts");
            assertThat(store.decisions()).containsExactly(
                    new RouteDecision("feed", T0, "hold", "kept", List.of()),
                    new RouteDecision("posts", T0.plusSeconds(10), "promote", "every gate passed", List.of()));
        }
    }

    /** More routes than one statement locks: each is checked against its own version. */
    @Test
    void manyDecisionsAreEachCheckedAgainstTheirOwnRoutesVersion() {
        try (StateStore store = StateStore.open(url())) {
            int routes = RouteStateTable.ROUTES_PER_LOCK + 40;
            List<JudgedDecision> decisions = new java.util.ArrayList<>();
            Set<String> current = new java.util.TreeSet<>();
            for (int r = 0; r < routes; r++) {
                String route = "r" + r;
                store.create(state(route, Stage.CANARY, 5, 1), creation(route, Stage.CANARY));
                long judgedOn = r % 7 == 3 ? 2 : 1; // a version the route never reached: judged on a state it left
                decisions.add(new JudgedDecision(new RouteDecision(route, T0, "hold", "waiting " + r, List.of()), judgedOn));
                if (judgedOn == 1) current.add(route);
            }

            assertThat(store.saveDecisions(decisions)).containsExactlyInAnyOrderElementsOf(current);
            assertThat(store.decisions()).extracting(RouteDecision::route).containsExactlyInAnyOrderElementsOf(current);
        }
    }

    @Test
    void decisionsAreSavedAllOrNone() {
        try (StateStore store = StateStore.open(url())) {
            createStates(store, "posts", "users");
            store.saveDecision(new RouteDecision("posts", T0, "hold", "waiting for data", List.of()));
            List<String> tooMuchEvidence = List.of("x".repeat(100_001)); // the column holds 100,000 characters

            assertThatThrownBy(() -> store.saveDecisions(List.of(
                    judged(new RouteDecision("posts", T0.plusSeconds(10), "promote", "every gate passed", List.of())),
                    judged(new RouteDecision("users", T0.plusSeconds(10), "hold", "evidence too long", tooMuchEvidence)))))
                    .isInstanceOf(StoreException.class);
            assertThat(store.decisions()).containsExactly(new RouteDecision("posts", T0, "hold", "waiting for data", List.of()));
        }
    }

    /** Each route at its first version, 1. */
    private static void createStates(StateStore store, String... routes) {
        for (String route : routes) store.create(state(route, Stage.CANARY, 5, 1), creation(route, Stage.CANARY));
    }

    /** A decision judged on a route's first state. */
    private static JudgedDecision judged(RouteDecision decision) {
        return new JudgedDecision(decision, 1);
    }
}
