package dev.strangler.store;

import dev.strangler.core.plan.SideSample;

import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.Stage;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static dev.strangler.store.Fixtures.T0;
import static dev.strangler.store.Fixtures.creation;
import static dev.strangler.store.Fixtures.endpoint;
import static dev.strangler.store.Fixtures.entry;
import static dev.strangler.store.Fixtures.latencies;
import static dev.strangler.store.Fixtures.state;
import static dev.strangler.store.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every kind of store does the same; each database runs it against a store of its own. */
abstract class StateStoreContract {

    /** A URL naming the same, initially empty, store on every call within one test. */
    abstract String url();

    @Test
    void progressSnapshotsAreKeptAndReadBackOldestFirstFromAGivenMoment() {
        try (StateStore store = StateStore.open(url())) {
            assertThat(store.latestProgress()).isEmpty();
            Instant first = T0;
            Instant second = T0.plus(Duration.ofDays(7));
            store.saveProgress(List.of(new ProgressSnapshot(first, "monolith", 3, 30, 3000, 300_000),
                    new ProgressSnapshot(first, ProgressSnapshot.UNCLAIMED, 0, 5, 50, 500)));
            store.saveProgress(List.of(new ProgressSnapshot(second, "live", 2, 20, 2000, 200_000),
                    new ProgressSnapshot(second, "monolith", 1, 10, 1000, 100_000)));

            assertThat(store.progress(first)).extracting(ProgressSnapshot::takenAt, ProgressSnapshot::stage)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(first, "monolith"),
                            org.assertj.core.groups.Tuple.tuple(first, "unclaimed"),
                            org.assertj.core.groups.Tuple.tuple(second, "live"),
                            org.assertj.core.groups.Tuple.tuple(second, "monolith"));
            assertThat(store.progress(second)).containsExactly(new ProgressSnapshot(second, "live", 2, 20, 2000, 200_000),
                    new ProgressSnapshot(second, "monolith", 1, 10, 1000, 100_000));
            assertThat(store.latestProgress()).contains(second);
        }
    }

    @Test
    void aProgressSnapshotWhoseRowsWereTakenAtDifferentMomentsIsRefusedWhole() {
        try (StateStore store = StateStore.open(url())) {
            assertThatThrownBy(() -> store.saveProgress(List.of(new ProgressSnapshot(T0, "live", 1, 1, 1, 1),
                    new ProgressSnapshot(T0.plusSeconds(1), "shadow", 1, 1, 1, 1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one takenAt");
            assertThat(store.progress(T0)).isEmpty();
        }
    }

    @Test
    void aCreatedRouteChangesByCompareAndSetAndEveryChangeIsAudited() {
        try (StateStore store = StateStore.open(url())) {
            assertThat(store.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW))).isTrue();
            assertThat(store.routeState("posts")).map(RouteState::version).contains(1L);

            RouteState canary = state("posts", Stage.CANARY, 10, 0);
            assertThat(store.compareAndSet(1, canary, entry("posts", "promote", Stage.SHADOW, 0, Stage.CANARY, 10)))
                    .isTrue();

            assertThat(store.routeState("posts")).contains(new RouteState("posts", Stage.CANARY, 10, false,
                    Stage.SHADOW, 0, canary.enteredAt(), 2));
            List<AuditEntry> audit = store.audit(Optional.of("posts"), 10);
            assertThat(audit).extracting(AuditEntry::action).containsExactly("promote", "create");
            assertThat(audit.get(0).id()).isGreaterThan(audit.get(1).id());
            assertThat(audit.get(0).withId(0)).isEqualTo(entry("posts", "promote", Stage.SHADOW, 0, Stage.CANARY, 10));
            assertThat(audit.get(1).fromStage()).isNull();
        }
    }

    @Test
    void theServiceAStepIsAboutIsKeptThroughCreateAndCompareAndSet() {
        RouteState.StepService orders = new RouteState.StepService("orders", "3f2a9c1e3f2a9c1e3f2a9c1e3f2a9c1e");
        try (StateStore store = StateStore.open(url())) {
            store.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW));
            assertThat(store.routeState("posts").orElseThrow().stepService()).isEmpty(); // as a row from before V11

            store.compareAndSet(1, state("posts", Stage.SHADOW, 0, 0).withStepService(Optional.of(orders)), null);
            assertThat(store.routeState("posts").orElseThrow().stepService()).contains(orders);

            RouteState.StepService v2 = new RouteState.StepService("orders-v2", "00aa");
            store.compareAndSet(2, store.routeState("posts").orElseThrow().withStepService(Optional.of(v2)), null);
            assertThat(store.routeState("posts").orElseThrow().stepService()).contains(v2);
        }
        try (StateStore reopened = StateStore.open(url())) {
            assertThat(reopened.routeStates().getFirst().stepService()).map(RouteState.StepService::name).contains("orders-v2");
        }
    }

    @Test
    void aSecondCreateOfTheSameRouteWritesNothing() {
        try (StateStore store = StateStore.open(url())) {
            assertThat(store.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW))).isTrue();
            assertThat(store.create(state("posts", Stage.LIVE, 0, 0), creation("posts", Stage.LIVE))).isFalse();

            assertThat(store.routeState("posts")).map(RouteState::stage).contains(Stage.SHADOW);
            assertThat(store.audit(Optional.empty(), 10)).hasSize(1);
        }
    }

    @Test
    void aCompareAndSetWithAStaleVersionReturnsFalseAndWritesNothing() {
        try (StateStore store = StateStore.open(url())) {
            store.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW));
            store.compareAndSet(1, state("posts", Stage.CANARY, 5, 0), null);

            boolean stale = store.compareAndSet(1, state("posts", Stage.LIVE, 0, 0),
                    entry("posts", "promote", Stage.SHADOW, 0, Stage.LIVE, 0));

            assertThat(stale).isFalse();
            assertThat(store.routeState("posts")).map(RouteState::stage).contains(Stage.CANARY);
            assertThat(store.routeState("posts")).map(RouteState::version).contains(2L);
            assertThat(store.audit(Optional.empty(), 10)).extracting(AuditEntry::action).containsExactly("create");
            assertThat(store.compareAndSet(1, state("unknown", Stage.LIVE, 0, 0), null)).isFalse();
        }
    }

    @Test
    void aHoldAfterRollbackAndTheRollbackCountSurviveAReopenAndCanBeLifted() {
        RouteState.Hold hold = new RouteState.Hold(T0.plus(Duration.ofMinutes(10)), "digest-of-svc");
        try (StateStore store = StateStore.open(url())) {
            store.create(state("posts", Stage.CANARY, 5, 0), creation("posts", Stage.CANARY));
            RouteState rolledBack = store.routeState("posts").orElseThrow().movedTo(Stage.SHADOW, 0, T0.plusSeconds(5))
                    .withHold(Optional.of(hold), 2).withRemovedAt(Optional.of(T0.plusSeconds(6)));
            assertThat(store.compareAndSet(1, rolledBack, null)).isTrue();
        }
        try (StateStore reopened = StateStore.open(url())) {
            RouteState read = reopened.routeState("posts").orElseThrow();
            assertThat(read.hold()).contains(hold);
            assertThat(read.automaticRollbacks()).isEqualTo(2);
            assertThat(read.removedAt()).contains(T0.plusSeconds(6));
            assertThat(read.heldAt(T0.plus(Duration.ofMinutes(9)))).isTrue();
            assertThat(read.heldAt(T0.plus(Duration.ofMinutes(10)))).isFalse();

            assertThat(reopened.compareAndSet(read.version(), read.withHold(Optional.empty(), 2).withRemovedAt(Optional.empty()),
                    null)).isTrue();
            RouteState lifted = reopened.routeState("posts").orElseThrow();
            assertThat(lifted.hold()).isEmpty();
            assertThat(lifted.removedAt()).isEmpty();
            assertThat(lifted.automaticRollbacks()).isEqualTo(2);
        }
    }

    @Test
    void aReopenedStoreReturnsExactlyTheStatesAndAuditItHad() {
        List<RouteState> states;
        List<AuditEntry> audit;
        try (StateStore store = StateStore.open(url())) {
            store.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW));
            store.create(state("users", Stage.MONOLITH, 0, 0), creation("users", Stage.MONOLITH));
            store.compareAndSet(1, new RouteState("posts", Stage.CANARY, 12.5, true, Stage.SHADOW, 0,
                    T0.plusMillis(1), 0), entry("posts", "promote", Stage.SHADOW, 0, Stage.CANARY, 12.5));
            store.audit(new AuditEntry(0, T0, "users", "config", "refuse", null, 0, null, 0,
                    "strangler.yaml:14: routes[1].percent: must be 0..100, was 150", List.of("", "line\ntwo")));
            states = store.routeStates();
            audit = store.audit(Optional.empty(), 1000);
        }

        try (StateStore reopened = StateStore.open(url())) {
            assertThat(reopened.routeStates()).isEqualTo(states).hasSize(2);
            assertThat(reopened.audit(Optional.empty(), 1000)).isEqualTo(audit).hasSize(4);
            assertThat(reopened.audit(Optional.of("users"), 1).getFirst().evidence()).containsExactly("", "line two");
        }
    }

    @Test
    void windowsOfTheSameKeyAreSummedAndQueriedOldestFirstThenPruned() {
        try (StateStore store = StateStore.open(url())) {
            store.addWindow(window("gw-1", "posts", T0, 10, 1.5, 2.5));
            store.addWindow(window("gw-1", "posts", T0, 5, 3.25));
            store.addWindow(window("gw-1", "posts", T0.plusSeconds(10), 7, 4));
            store.addWindow(window("gw-1", "users", T0, 99, 9));

            List<MetricWindow> windows = store.windows("posts", T0);

            assertThat(windows).hasSize(2);
            MetricWindow summed = windows.getFirst();
            assertThat(summed.monolith()).isEqualTo(new SideSample(15, 2, new double[] {1.5, 2.5, 3.25}));
            assertThat(summed.shadowCompared()).isEqualTo(15);
            assertThat(summed.shadowMatched()).isEqualTo(13);
            assertThat(windows.get(1).start()).isEqualTo(T0.plusSeconds(10));
            assertThat(store.windows("posts", T0.plusSeconds(5))).hasSize(1);
            assertThat(store.windows(T0)).extracting(MetricWindow::route).containsExactly("posts", "users", "posts");

            assertThat(store.pruneWindows(T0.plusSeconds(10))).isEqualTo(2);
            assertThat(store.windows("posts", T0)).extracting(MetricWindow::start).containsExactly(T0.plusSeconds(10));
            assertThat(store.windows("users", T0)).isEmpty();
        }
    }

    @Test
    void eachGatewayReplacesItsOwnShadowResultsOfAKeyAndReadersSeeEveryGatewayAndService() {
        try (StateStore store = StateStore.open(url())) {
            store.saveShadowResult(new StoredShadowResult("gw-1", "posts", "posts-v1", "aa", T0, T0.plusSeconds(1), 3, 1, "{\"n\":1}"));
            store.saveShadowResult(new StoredShadowResult("gw-1", "posts", "posts-v1", "aa", T0, T0.plusSeconds(5), 7, 2, "{\"n\":2}"));
            store.saveShadowResult(new StoredShadowResult("gw-2", "posts", "posts-v1", "aa", T0, T0.plusSeconds(3), 4, 4, "{}"));
            store.saveShadowResult(new StoredShadowResult("gw-1", "posts", "posts-v2", "bb", T0, T0.plusSeconds(9), 1, 1, "{}"));
            store.saveShadowResult(new StoredShadowResult("gw-1", "users", "users", "cc", T0, T0.plusSeconds(9), 1, 0, "{}"));

            List<StoredShadowResult> posts = store.shadowResults("posts");

            assertThat(posts).extracting(StoredShadowResult::gateway, StoredShadowResult::service, StoredShadowResult::comparisons)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("gw-1", "posts-v2", 1L),
                            org.assertj.core.groups.Tuple.tuple("gw-1", "posts-v1", 7L),
                            org.assertj.core.groups.Tuple.tuple("gw-2", "posts-v1", 4L));
            assertThat(posts.get(1).summary()).isEqualTo("{\"n\":2}");
            assertThat(posts.get(1).updatedAt()).isEqualTo(T0.plusSeconds(5));
        }
    }

    @Test
    void shadowResultsNotUpdatedSinceTheRetentionArePruned() {
        try (StateStore store = StateStore.open(url())) {
            store.saveShadowResult(new StoredShadowResult("gw-1", "posts", "old", "aa", T0, T0.plusSeconds(1), 3, 1, "{}"));
            store.saveShadowResult(new StoredShadowResult("gw-1", "posts", "new", "bb", T0, T0.plusSeconds(20), 3, 1, "{}"));

            assertThat(store.pruneShadowResults(T0.plusSeconds(10))).isEqualTo(1);
            assertThat(store.shadowResults("posts")).extracting(StoredShadowResult::service).containsExactly("new");
        }
    }

    @Test
    void aShadowSummaryBeyondTheBoundIsRefusedBeforeItReachesTheStore() {
        String tooLong = "x".repeat(StoredShadowResult.MAX_SUMMARY_CHARS + 1);
        assertThatThrownBy(() -> new StoredShadowResult("gw-1", "posts", "s", "d", T0, T0, 0, 0, tooLong))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }

    @Test
    void hardFailuresAndFallbacksSurviveTheRoundTripAndAreSummedLikeTheOtherCounts() {
        try (StateStore store = StateStore.open(url())) {
            SideSample monolith = new SideSample(40, 2, 1, new double[] {3.5});
            SideSample service = new SideSample(12, 9, 8, new double[] {7.25});
            store.addWindow(new MetricWindow("gw-1", "posts", T0, T0.plusSeconds(10), monolith, service, 0, 0, 6));

            MetricWindow read = store.windows("posts", T0).getFirst();
            assertThat(read.monolith()).isEqualTo(monolith);
            assertThat(read.service()).isEqualTo(service);
            assertThat(read.fallbacks()).isEqualTo(6);

            store.addWindow(new MetricWindow("gw-1", "posts", T0, T0.plusSeconds(10), SideSample.NONE,
                    new SideSample(3, 3, 3, new double[0]), 0, 0, 3));
            MetricWindow summed = store.windows("posts", T0).getFirst();
            assertThat(summed.service()).isEqualTo(new SideSample(15, 12, 11, new double[] {7.25}));
            assertThat(summed.fallbacks()).isEqualTo(9);
        }
    }

    @Test
    void summedWindowsKeepAtMostTheSampleLimitOfLatencies() {
        try (StateStore store = StateStore.open(url())) {
            store.addWindow(window("gw-1", "posts", T0, 800, latencies(800, 0)));
            store.addWindow(window("gw-1", "posts", T0, 800, latencies(800, 1000)));

            SideSample monolith = store.windows("posts", T0).getFirst().monolith();

            assertThat(monolith.requests()).isEqualTo(1600);
            assertThat(monolith.latenciesMillis()).hasSize(MetricWindow.SAMPLE_LIMIT)
                    .startsWith(0, 1, 2).endsWith(1198, 1199);
        }
    }

    @Test
    void windowsFromTwoGatewaysAreBothReturned() {
        try (StateStore first = StateStore.open(url()); StateStore second = StateStore.open(url())) {
            first.addWindow(window("gw-1", "posts", T0, 10, 1));
            second.addWindow(window("gw-2", "posts", T0, 20, 2));

            assertThat(first.windows("posts", T0.minus(Duration.ofMinutes(1))))
                    .extracting(MetricWindow::gateway).containsExactly("gw-1", "gw-2");
        }
    }

    @Test
    void aChangeCallsTheListenersOfTheStoreThatMadeIt() throws Exception {
        try (StateStore store = StateStore.open(url())) {
            CountDownLatch heard = new CountDownLatch(1);
            store.onChange(heard::countDown);

            store.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW));

            assertThat(heard.await(1, TimeUnit.SECONDS)).as("listener called within 1 s").isTrue();
        }
    }

    @Test
    void aClosedSubscriptionHearsNoMoreChanges() throws Exception {
        try (StateStore store = StateStore.open(url())) {
            Semaphore unsubscribed = new Semaphore(0);
            Semaphore subscribed = new Semaphore(0);
            store.onChange(unsubscribed::release).close();
            store.onChange(subscribed::release);

            store.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW));
            assertThat(subscribed.tryAcquire(1, TimeUnit.SECONDS)).as("create heard").isTrue();
            store.compareAndSet(1, state("posts", Stage.CANARY, 1, 0), null);
            assertThat(subscribed.tryAcquire(1, TimeUnit.SECONDS)).as("change heard").isTrue();

            assertThat(unsubscribed.availablePermits()).isZero();
        }
    }

    @Test
    void theHealthOfAStoreThatAnsweredIsReachable() {
        try (StateStore store = StateStore.open(url())) {
            store.routeStates();
            assertThat(store.health()).isEqualTo(new StoreHealth(true, Optional.empty(), Optional.empty()));
        }
    }

    @Test
    void aSavedCatalogReadsBackWithEveryFieldIncludingTheLatencyQuantiles() {
        EndpointSummary observed = endpoint("GET", "/api/posts/{postId}", 120, Map.of(200, 117L, 404, 2L, 503, 1L),
                "posts-read", Stage.CANARY);
        EndpointSummary unclaimed = endpoint("POST", "/api/orders", 3, Map.of(201, 3L), null, null);
        EndpointSummary declared = EndpointSummary.declaredOnly(new EndpointKey("DELETE", "/api/orders/{orderId}"));
        try (StateStore store = StateStore.open(url())) {
            store.saveCatalog("gw-1", List.of(unclaimed, observed, declared));

            List<EndpointSummary> catalog = store.catalog("gw-1");

            assertThat(catalog).extracting(EndpointSummary::key).containsExactly(unclaimed.key(), declared.key(),
                    observed.key());
            assertSameEndpoints(catalog, List.of(unclaimed, declared, observed));
            assertThat(store.catalog()).extracting(EndpointSummary::key).containsExactly(unclaimed.key(),
                    declared.key(), observed.key());
        }
    }

    @Test
    void theQueryNamesAndPathValueKindsOfAnEndpointReadBack() {
        EndpointSummary plain = endpoint("GET", "/api/posts/{postId}", 12, Map.of(200, 12L), null, null);
        dev.strangler.core.catalog.ObservedParameters parameters = new dev.strangler.core.catalog.ObservedParameters(
                Map.of("page", 7L, "a,b:c;d%", 1L), 2, List.of(dev.strangler.core.catalog.ObservedParameters.INTEGER));
        EndpointSummary withParameters = new EndpointSummary(plain.key(), plain.count(), plain.statusCodes(), plain.latency(),
                plain.requestBytes(), plain.responseBytes(), plain.firstSeen(), plain.lastSeen(), plain.route(), plain.stage(),
                false, parameters);
        try (StateStore store = StateStore.open(url())) {
            store.saveCatalog("gw-1", List.of(withParameters));

            assertThat(store.catalog("gw-1")).singleElement().extracting(EndpointSummary::parameters).isEqualTo(parameters);
        }
    }

    @Test
    void theFleetCouplingAddsEachGatewaysSessionsAndASaveReplacesOnlyThatGateways() {
        dev.strangler.core.coupling.Affinity one = new dev.strangler.core.coupling.Affinity(10,
                Map.of("/api/products", 8L, "/api/categories", 4L),
                Map.of(dev.strangler.core.coupling.Affinity.Pair.of("/api/products", "/api/categories"), 3L));
        dev.strangler.core.coupling.Affinity two = new dev.strangler.core.coupling.Affinity(5,
                Map.of("/api/products", 2L, "/api/orders", 5L),
                Map.of(dev.strangler.core.coupling.Affinity.Pair.of("/api/orders", "/api/products"), 2L));
        try (StateStore store = StateStore.open(url())) {
            assertThat(store.coupling().isEmpty()).isTrue();
            store.saveCoupling("gw-1", one);
            store.saveCoupling("gw-2", two);
            assertThat(store.coupling("gw-1")).isEqualTo(new dev.strangler.core.coupling.Affinity(10,
                    new java.util.TreeMap<>(one.groups()), new java.util.TreeMap<>(one.pairs())));
            dev.strangler.core.coupling.Affinity fleet = store.coupling();
            assertThat(fleet.sessions()).isEqualTo(15);
            assertThat(fleet.sessionsWith("/api/products")).isEqualTo(10);
            assertThat(fleet.sessionsWithBoth("/api/categories", "/api/products")).isEqualTo(3);
            assertThat(fleet.sessionsWithBoth("/api/products", "/api/orders")).isEqualTo(2);

            store.saveCoupling("gw-1", dev.strangler.core.coupling.Affinity.NONE);
            assertThat(store.coupling().sessions()).isEqualTo(5);
            assertThat(store.coupling("gw-2").sessionsWith("/api/orders")).isEqualTo(5);
        }
    }

    @Test
    void theFleetCatalogAddsTheGatewaysSummariesOfEachEndpoint() {
        EndpointSummary first = endpoint("GET", "/api/posts", 10, Map.of(200, 10L), "posts-read", Stage.SHADOW);
        EndpointSummary second = endpoint("GET", "/api/posts", 30, Map.of(200, 29L, 500, 1L), "posts-read",
                Stage.CANARY);
        EndpointSummary onlySecond = endpoint("GET", "/health", 5, Map.of(200, 5L), null, null);
        try (StateStore store = StateStore.open(url())) {
            store.saveCatalog("gw-1", List.of(first));
            store.saveCatalog("gw-2", List.of(second, onlySecond));

            List<EndpointSummary> fleet = store.catalog();

            assertSameEndpoints(fleet, List.of(first.plus(second), onlySecond));
            EndpointSummary posts = fleet.getFirst();
            assertThat(posts.count()).isEqualTo(40);
            assertThat(posts.statusCodes()).isEqualTo(Map.of(200, 39L, 500, 1L));
            assertThat(posts.latency().count()).isEqualTo(40);
            assertThat(posts.lastSeen()).contains(Fixtures.T0.plusSeconds(30));
            assertThat(posts.stage()).contains(Stage.CANARY);
            assertThat(store.catalog("gw-1")).extracting(EndpointSummary::count).containsExactly(10L);
        }
    }

    @Test
    void aSaveReplacesOnlyThatGatewaysCatalog() {
        try (StateStore store = StateStore.open(url())) {
            store.saveCatalog("gw-1", List.of(endpoint("GET", "/a", 1, Map.of(200, 1L), null, null),
                    endpoint("GET", "/b", 1, Map.of(200, 1L), null, null)));
            store.saveCatalog("gw-2", List.of(endpoint("GET", "/a", 7, Map.of(200, 7L), null, null)));

            store.saveCatalog("gw-1", List.of(endpoint("GET", "/a", 2, Map.of(200, 2L), null, null),
                    endpoint("PUT", "/c", 1, Map.of(204, 1L), null, null)));

            assertThat(store.catalog("gw-1")).extracting(e -> e.key().toString(), EndpointSummary::count)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("GET /a", 2L),
                            org.assertj.core.groups.Tuple.tuple("PUT /c", 1L));
            assertThat(store.catalog()).extracting(EndpointSummary::count).containsExactly(9L, 1L);

            store.saveCatalog("gw-1", List.of());
            assertThat(store.catalog("gw-1")).isEmpty();
            assertThat(store.catalog()).extracting(EndpointSummary::count).containsExactly(7L);
        }
    }

    @Test
    void aReopenedStoreReturnsTheSameCatalog() {
        List<EndpointSummary> saved = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            saved.add(endpoint(i % 3 == 0 ? "POST" : "GET", "/api/resource" + i + "/{id}", 1 + i % 50,
                    Map.of(200, (long) (1 + i % 50)), i % 2 == 0 ? "route-" + i % 7 : null,
                    i % 2 == 0 ? Stage.values()[i % Stage.values().length] : null));
        }
        saved.add(EndpointSummary.declaredOnly(new EndpointKey("GET", "/api/never/{called}")));
        List<EndpointSummary> before;
        try (StateStore store = StateStore.open(url())) {
            long start = System.nanoTime();
            store.saveCatalog("gw-1", saved);
            System.out.printf("saved %d catalog rows in %d ms%n", saved.size(), (System.nanoTime() - start) / 1_000_000);
            before = store.catalog("gw-1");
        }

        try (StateStore reopened = StateStore.open(url())) {
            List<EndpointSummary> after = reopened.catalog("gw-1");

            assertThat(after).hasSize(2001);
            assertSameEndpoints(after, before);
            assertSameEndpoints(after, saved.stream().sorted(java.util.Comparator.comparing(EndpointSummary::key))
                    .toList());
        }
    }

    @Test
    void aTemplateTooLongForTheStoreIsRefusedWithNothingWritten() {
        String template = "/" + "x".repeat(EndpointCatalogTable.TEMPLATE_MAX_LENGTH);
        try (StateStore store = StateStore.open(url())) {
            store.saveCatalog("gw-1", List.of(endpoint("GET", "/kept", 1, Map.of(200, 1L), null, null)));

            assertThatThrownBy(() -> store.saveCatalog("gw-1",
                    List.of(endpoint("GET", template, 1, Map.of(200, 1L), null, null))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most " + EndpointCatalogTable.TEMPLATE_MAX_LENGTH);
            assertThat(store.catalog("gw-1")).extracting(e -> e.key().template()).containsExactly("/kept");
        }
    }

    /** Every field equal, the latency sketch by its count and quantiles (sketches have no equals). */
    private static void assertSameEndpoints(List<EndpointSummary> actual, List<EndpointSummary> expected) {
        assertThat(actual).usingRecursiveFieldByFieldElementComparatorIgnoringFields("latency")
                .containsExactlyElementsOf(expected);
        for (int i = 0; i < expected.size(); i++) {
            EndpointSummary e = expected.get(i);
            EndpointSummary a = actual.get(i);
            assertThat(a.latency().count()).as("%s latency count", e.key()).isEqualTo(e.latency().count());
            for (double q : new double[] {0.5, 0.9, 0.99, 1.0}) {
                assertThat(Double.valueOf(a.latency().quantileMillis(q))).as("%s p%s", e.key(), q * 100)
                        .isEqualTo(Double.valueOf(e.latency().quantileMillis(q))); // NaN equals NaN for an empty sketch
            }
        }
    }

    @Test
    void theControllersLatestDecisionPerRouteReplacesTheLastAndSurvivesAReopen() {
        Instant t0 = Instant.parse("2026-11-25T12:00:00Z");
        try (StateStore store = StateStore.open(url())) {
            store.saveDecision(new RouteDecision("posts", t0, "hold", "waiting for data", List.of("error rate: NOT_ENOUGH_DATA")));
            store.saveDecision(new RouteDecision("posts", t0.plusSeconds(10), "promote", "every gate passed",
                    List.of("error rate: PASS", "latency: PASS")));
            store.saveDecision(new RouteDecision("users", t0, "hold", "not moved", List.of()));
        }
        try (StateStore reopened = StateStore.open(url())) {
            assertThat(reopened.decisions()).containsExactly(
                    new RouteDecision("posts", t0.plusSeconds(10), "promote", "every gate passed", List.of("error rate: PASS", "latency: PASS")),
                    new RouteDecision("users", t0, "hold", "not moved", List.of()));
        }
    }

    @Test
    void aRouteInCanaryWhenTheStoreIsUpgradedKeepsTheLegacyStickyHashAndEveryOtherRouteGetsNginx() throws Exception {
        StoreUrl parsed = StoreUrl.parse(url());
        // The connection keeps an in-memory database alive between the two Flyway runs.
        try (Connection keep = DriverManager.getConnection(parsed.jdbcUrl(), parsed.connectDefaults())) {
            FluentConfiguration before = Flyway.configure(JdbcStateStore.class.getClassLoader())
                    .dataSource(parsed.jdbcUrl(), null, null)
                    .locations("classpath:db/migration/common")
                    .table(JdbcStateStore.SCHEMA_HISTORY_TABLE)
                    .target("9");
            parsed.schema().ifPresent(schema -> before.schemas(schema).createSchemas(true));
            before.load().migrate();
            try (Statement sql = keep.createStatement()) {
                String table = parsed.schema().map(s -> s + ".route_state").orElse("route_state");
                sql.executeUpdate("INSERT INTO " + table + " (route, stage, percent, paused, file_stage, file_percent, entered_at, version)"
                        + " VALUES ('posts', 'canary', 5, FALSE, 'shadow', 0, CURRENT_TIMESTAMP, 3),"
                        + " ('users', 'shadow', 0, FALSE, 'shadow', 0, CURRENT_TIMESTAMP, 1),"
                        + " ('feed', 'live', 0, FALSE, 'canary', 20, CURRENT_TIMESTAMP, 7)");
            }

            try (StateStore store = StateStore.open(url())) {
                assertThat(store.routeState("posts").orElseThrow().stickyHash()).isEqualTo(BucketFunction.LEGACY);
                assertThat(store.routeState("users").orElseThrow().stickyHash()).isEqualTo(BucketFunction.NGINX);
                assertThat(store.routeState("feed").orElseThrow().stickyHash()).isEqualTo(BucketFunction.NGINX);
            }
        }
    }

    @Test
    void theStickyHashIsStoredAndChangedByCompareAndSetAndANewRouteUsesNginx() {
        try (StateStore store = StateStore.open(url())) {
            store.create(state("posts", Stage.CANARY, 5, 0), creation("posts", Stage.CANARY));
            assertThat(store.routeState("posts").orElseThrow().stickyHash()).isEqualTo(BucketFunction.NGINX);

            assertThat(store.compareAndSet(1, state("posts", Stage.CANARY, 10, 0).withStickyHash(BucketFunction.LEGACY), null)).isTrue();
            assertThat(store.routeState("posts").orElseThrow().stickyHash()).isEqualTo(BucketFunction.LEGACY);
            assertThat(store.compareAndSet(2, state("posts", Stage.LIVE, 0, 0), null)).isTrue();
            assertThat(store.routeStates()).extracting(RouteState::stickyHash).containsExactly(BucketFunction.NGINX);
        }
    }
    @Test
    void theRouteStatesStampMovesWithEveryWriteOfARouteStateEvenWhenTheHighestVersionStaysTheSame() {
        try (StateStore store = StateStore.open(url())) {
            List<RouteStatesStamp> seen = new ArrayList<>();
            seen.add(store.routeStatesStamp());

            store.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW));
            seen.add(store.routeStatesStamp());
            store.compareAndSet(1, state("posts", Stage.CANARY, 5, 0), null);
            seen.add(store.routeStatesStamp());
            store.compareAndSet(2, state("posts", Stage.CANARY, 10, 0), null);
            seen.add(store.routeStatesStamp());
            store.create(state("users", Stage.SHADOW, 0, 0), creation("users", Stage.SHADOW));
            seen.add(store.routeStatesStamp());
            // posts stays at version 3, the highest: only users' own version moves.
            store.compareAndSet(1, store.routeState("users").orElseThrow().withPaused(true), null);
            seen.add(store.routeStatesStamp());
            // What a removal from the file writes: a column, through compare-and-set; the row stays.
            store.compareAndSet(2, store.routeState("users").orElseThrow().withRemovedAt(Optional.of(T0)), null);
            seen.add(store.routeStatesStamp());
            store.compareAndSet(3, store.routeState("posts").orElseThrow().withStickyHash(BucketFunction.LEGACY), null);
            seen.add(store.routeStatesStamp());
            // A rewrite with nothing changed is still a write a follower may not skip.
            store.compareAndSet(4, store.routeState("posts").orElseThrow(), null);
            seen.add(store.routeStatesStamp());

            assertThat(seen).doesNotHaveDuplicates();
            assertThat(seen.getLast()).isEqualTo(new RouteStatesStamp(2, 5 + 3));
        }
    }

    @Test
    void theRouteStatesStampStaysWhenNoRouteStateIsWritten() {
        try (StateStore store = StateStore.open(url())) {
            store.create(state("posts", Stage.SHADOW, 0, 0), creation("posts", Stage.SHADOW));
            RouteStatesStamp before = store.routeStatesStamp();

            assertThat(store.create(state("posts", Stage.LIVE, 0, 0), creation("posts", Stage.LIVE))).isFalse();
            assertThat(store.compareAndSet(7, state("posts", Stage.LIVE, 0, 0), null)).isFalse();
            assertThat(store.compareAndSet(1, state("nobody", Stage.LIVE, 0, 0), null)).isFalse();
            store.audit(entry("posts", "refused", Stage.SHADOW, 0, Stage.LIVE, 0));
            store.addWindow(window("gw-1", "posts", T0, 10, 1.0));
            store.saveDecision(new RouteDecision("posts", T0, "hold", "waiting", List.of()));
            store.routeStates();

            assertThat(store.routeStatesStamp()).isEqualTo(before);
        }
        try (StateStore reopened = StateStore.open(url())) {
            assertThat(reopened.routeStatesStamp()).as("a value of the database, not of the process").isEqualTo(new RouteStatesStamp(1, 1));
        }
    }
}
