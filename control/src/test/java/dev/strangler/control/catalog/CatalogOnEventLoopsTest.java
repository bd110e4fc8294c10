package dev.strangler.control.catalog;

import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.TestClock;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.coupling.SessionAffinity;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.store.StateStore;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder on real Vert.x event loops: each loop records into its own part, a read asks each loop
 * for it and merges them, and nothing but the periodic save is ever scheduled.
 */
class CatalogOnEventLoopsTest {
    private static final int LOOPS = 4;
    private static final Duration SAVE_EVERY = Duration.ofSeconds(5);

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
    private final StateStore store = StateStore.open("jdbc:h2:mem:catalog-loops-" + System.nanoTime());
    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final CatalogRecorder recorder = new CatalogRecorder("gw-1:8080", store,
            new TestClock(Instant.parse("2026-12-01T06:00:00Z")), LOOPS, scheduler);

    @AfterEach
    void close() {
        recorder.close();
        Await.result(vertx.close());
        store.close();
    }

    @Test
    void requestsRecordedOnSeveralEventLoopsAreAllInTheSavedCatalogAndCoupling() {
        List<Context> loops = distinctEventLoops(vertx, LOOPS);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int l = 0; l < LOOPS; l++) {
            int loop = l;
            done.add(onLoop(loops.get(l), () -> {
                for (int i = 0; i < 250; i++) recorder.onComplete(served("/api/orders/" + i, "client-" + loop + "-" + i));
                recorder.onComplete(served("/api/users/" + loop, "client-" + loop + "-0"));
            }));
        }
        done.forEach(CompletableFuture::join);

        recorder.flush();

        assertThat(recorder.eventLoops()).isEqualTo(LOOPS);
        assertThat(counts(store.catalog("gw-1:8080"))).containsEntry("GET /api/orders/{orderId}", 1000L)
                .containsEntry("GET /api/users/{userId}", (long) LOOPS);
        Affinity saved = store.coupling("gw-1:8080");
        assertThat(saved.sessions()).isEqualTo(1000);
        assertThat(saved.sessionsWithBoth("/api/orders", "/api/users")).isEqualTo(LOOPS);
    }

    @Test
    void nothingIsScheduledButTheSaveAndRecordingHandsNoTaskToAnyThread() {
        recorder.start(SAVE_EVERY);
        Context loop = distinctEventLoops(vertx, 1).getFirst();
        onLoop(loop, () -> recorder.onComplete(served("/api/orders/0", "warm-up"))).join();
        recorder.flush(); // the load has run
        long tasksBefore = scheduler.getTaskCount();

        onLoop(loop, () -> {
            for (int i = 1; i <= 1000; i++) recorder.onComplete(served("/api/orders/" + i, "c" + i));
        }).join();
        for (int i = 1; i <= 100; i++) recorder.onComplete(served("/api/orders/" + i, "t" + i)); // not an event loop

        assertThat(scheduler.getTaskCount()).isEqualTo(tasksBefore);
        assertThat(scheduler.periods).containsExactly(SAVE_EVERY.toMillis());
        assertThat(counts(recorder.flush())).containsEntry("GET /api/orders/{orderId}", 1101L);
    }

    /**
     * Each loop records its requests in batches of {@code BATCH}, one batch per loop task; a read
     * that took a loop's part between two of its tasks sees whole batches only.
     */
    @Test
    void aReadDuringTrafficSeesEveryLoopsRequestsWholeAndNeverLess() {
        int batch = 50;
        List<Context> loops = distinctEventLoops(vertx, LOOPS);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong recorded = new AtomicLong();
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        for (int l = 0; l < LOOPS; l++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            stopped.add(done);
            int loop = l;
            loops.get(l).runOnContext(v -> new Runnable() {
                long n;

                @Override
                public void run() {
                    if (stop.get()) {
                        done.complete(null);
                        return;
                    }
                    for (int i = 0; i < batch; i++, n++) recorder.onComplete(served("/api/orders/" + n, loop + "-" + n));
                    recorded.addAndGet(batch);
                    loops.get(loop).runOnContext(w -> run()); // the next batch is the loop's next task
                }
            }.run());
        }

        long lastCount = 0;
        long lastSessions = 0;
        for (int read = 0; read < 20; read++) {
            long count = ordersCount(recorder.flush());
            long sessions = recorder.coupling().sessions();
            assertThat(count % batch).as("requests counted in read %d", read).isZero();
            assertThat(sessions % batch).as("sessions counted in read %d", read).isZero();
            assertThat(count).isGreaterThanOrEqualTo(lastCount);
            assertThat(sessions).isGreaterThanOrEqualTo(lastSessions);
            lastCount = count;
            lastSessions = sessions;
        }
        stop.set(true);
        stopped.forEach(CompletableFuture::join);

        assertThat(lastCount).isPositive();
        assertThat(ordersCount(recorder.flush())).isEqualTo(recorded.get());
        assertThat(recorder.coupling().sessions()).isEqualTo(recorded.get());
    }

    @Test
    void callersThatAreNotEventLoopsAreCountedToo() throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) recorder.onComplete(served("/api/orders/" + i, thread + "-" + i));
            }));
        }
        Await.result(vertx.executeBlocking(() -> { // a Vert.x worker thread
            for (int i = 0; i < 100; i++) recorder.onComplete(served("/api/orders/" + i, "worker-" + i));
            return null;
        }));
        for (Thread t : threads) t.join();

        assertThat(ordersCount(recorder.flush())).isEqualTo(8100);
        assertThat(recorder.coupling().sessions()).isEqualTo(8100);
        assertThat(recorder.eventLoops()).isZero();
    }

    @Test
    void whatALoopRecordedIsStillReadAfterItsVertxClosed() {
        Vertx other = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        onLoop(distinctEventLoops(other, 1).getFirst(), () -> {
            for (int i = 0; i < 10; i++) recorder.onComplete(served("/api/orders/" + i, "gone-" + i));
        }).join();
        Await.result(other.close());

        assertThat(ordersCount(recorder.flush())).isEqualTo(10);
    }

    @Test
    void eachLoopKeepsItsShareOfTheSessionsAGatewayHolds() {
        CatalogRecorder twoPerLoop = new CatalogRecorder("gw-2:8080", store, new TestClock(Instant.parse("2026-12-01T06:00:00Z")),
                SessionAffinity.DEFAULT_MAX_SESSIONS / 2);
        try {
            onLoop(distinctEventLoops(vertx, 1).getFirst(), () -> {
                for (String client : List.of("a", "b", "c", "a")) twoPerLoop.onComplete(served("/api/orders/1", client));
            }).join();

            assertThat(twoPerLoop.coupling().sessions()).as("a was dropped for c, and came back as a new session").isEqualTo(4);
        } finally {
            twoPerLoop.close();
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static Outcome served(String path, String clientKey) {
        return new Outcome("id", "GET", path, Outcome.UNROUTED, Stage.MONOLITH, "monolith", 200, 1_000_000, 0, 10,
                Optional.empty(), Optional.empty(), clientKey);
    }

    /** Contexts on {@code n} different event loops: a verticle's instances take the loops in turn. */
    private static List<Context> distinctEventLoops(Vertx vertx, int n) {
        List<Context> contexts = new CopyOnWriteArrayList<>();
        Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Await.result(vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                contexts.add(context);
                threads.add(Thread.currentThread());
                return Future.succeededFuture();
            }
        }, new DeploymentOptions().setInstances(n)));
        assertThat(threads).hasSize(n);
        return contexts;
    }

    private static CompletableFuture<Void> onLoop(Context context, Runnable work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            assertThat(Context.isOnEventLoopThread()).isTrue();
            work.run();
            done.complete(null);
        });
        return done;
    }

    private static java.util.Map<String, Long> counts(List<EndpointSummary> endpoints) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        endpoints.forEach(e -> out.put(e.key().toString(), e.count()));
        return out;
    }

    private static long ordersCount(List<EndpointSummary> endpoints) {
        return counts(endpoints).getOrDefault("GET /api/orders/{orderId}", 0L);
    }

    /** The recorder's thread, keeping the period of everything scheduled to repeat. */
    private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        final List<Long> periods = new CopyOnWriteArrayList<>();

        RecordingScheduler() {
            super(1, r -> {
                Thread t = new Thread(r, "test-catalog");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            periods.add(unit.toMillis(delay));
            return super.scheduleWithFixedDelay(command, initialDelay, delay, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            periods.add(unit.toMillis(period));
            return super.scheduleAtFixedRate(command, initialDelay, period, unit);
        }
    }
}
