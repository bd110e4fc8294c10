package dev.strangler.control.sync;

import dev.strangler.control.migration.GateCheck;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.CountingStore;
import dev.strangler.control.testing.TestClock;
import dev.strangler.control.window.WindowRecorder;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Position;
import dev.strangler.core.stage.Decider;
import dev.strangler.gateway.Gateway;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.store.StateStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.strangler.control.testing.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state poll reads every route's state only when the store's stamp moved, on a notification,
 * after an outage, or once {@link StateSync#FULL_READ_INTERVAL} passed: counted on a real H2 store,
 * with a real gateway whose backends say who answered. The test drives each poll (no scheduler runs).
 */
class StateSyncPollTest {
    private static final String STATES = "routeStates";
    private static final String STAMP = "routeStatesStamp";

    private final String url = "jdbc:h2:mem:state-sync-poll-" + System.nanoTime();
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final Vertx vertx = Vertx.vertx();
    private StateStore real;
    private StateStore otherWriter; // a second store on the same database: its writes notify nobody here
    private CountingStore counting;
    private Gateway gateway;
    private StateSync sync;

    @BeforeEach
    void start() {
        real = StateStore.open(url);
        otherWriter = StateStore.open(url);
        counting = new CountingStore(real);
        GatewayConfig file = file(backend("monolith"), backend("service"));
        Migration migration = new Migration(counting.store(), file, clock, GateCheck.NONE);
        GatewayConfig effective = migration.reconcile(file);
        gateway = Await.result(Gateway.start(vertx, effective, new Decider(new Random(1)), ExchangeObserver.all(List.of()), 1));
        sync = new StateSync(gateway, migration, new WindowRecorder("gw-1", clock), migration.states(), clock);
    }

    @AfterEach
    void stop() {
        if (sync != null) sync.close();
        Await.result(vertx.close());
        otherWriter.close();
        real.close();
    }

    @Test
    void pollsWhileNothingChangedReadTheStampButNoState() throws Exception {
        sync.pollAndWait(); // the first poll has no stamp to compare with: it reads all
        long states = counting.calls(STATES);
        long stamps = counting.calls(STAMP);

        for (int i = 0; i < 5; i++) {
            clock.advance(StateSync.POLL_INTERVAL);
            sync.pollAndWait();
        }

        assertThat(counting.calls(STATES)).isEqualTo(states);
        assertThat(counting.calls(STAMP)).isEqualTo(stamps + 5);
        assertThat(sync.status().reachable()).isTrue();
    }

    @Test
    void aChangeByAnotherWriterOfTheStoreIsServedAfterTheNextPollWithOneRead() throws Exception {
        sync.pollAndWait();
        long states = counting.calls(STATES);
        clock.advance(StateSync.POLL_INTERVAL);
        sync.pollAndWait();
        assertThat(counting.calls(STATES)).as("nothing changed yet").isEqualTo(states);
        assertThat(get(gateway.port(), "/api/orders/1").body()).isEqualTo("monolith");

        new Migration(otherWriter, gateway.config(), clock, GateCheck.NONE)
                .promote("orders", Position.parse("live"), true, "alice", "moved by another gateway");
        clock.advance(StateSync.POLL_INTERVAL);
        sync.pollAndWait();

        assertThat(counting.calls(STATES)).isEqualTo(states + 1);
        assertThat(gateway.config().routes().getFirst().position().toString()).isEqualTo("live");
        assertThat(get(gateway.port(), "/api/orders/1").body()).as("who answered").isEqualTo("service");
    }

    @Test
    void everyStateIsReadAgainOnceTheFullReadIntervalPassedThoughTheStampStayed() throws Exception {
        sync.pollAndWait();
        long states = counting.calls(STATES);

        clock.advance(StateSync.FULL_READ_INTERVAL.minusMillis(1));
        sync.pollAndWait();
        assertThat(counting.calls(STATES)).as("just before the interval").isEqualTo(states);

        clock.advance(Duration.ofMillis(1));
        sync.pollAndWait();
        assertThat(counting.calls(STATES)).as("at the interval").isEqualTo(states + 1);

        clock.advance(StateSync.POLL_INTERVAL);
        sync.pollAndWait();
        assertThat(counting.calls(STATES)).as("the interval counts again from the last full read").isEqualTo(states + 1);
    }

    @Test
    void aNotificationReadsEveryStateThoughTheStampStayed() throws Exception {
        sync.pollAndWait();
        long states = counting.calls(STATES);

        sync.refreshSoon(); // what a notice of the store, or a change made in this process, calls
        sync.pollAndWait(); // runs after it, on the same thread, and reads none

        assertThat(counting.calls(STATES)).isEqualTo(states + 1);
    }

    @Test
    void afterAnOutageTheFirstAnswerReadsEveryStateAndLaterPollsReadNone() throws Exception {
        sync.pollAndWait();
        long states = counting.calls(STATES);

        counting.cut();
        clock.advance(StateSync.POLL_INTERVAL);
        sync.pollAndWait();
        assertThat(sync.status().reachable()).isFalse();
        assertThat(sync.status().unreachableSince()).contains(clock.instant());
        assertThat(gateway.config().routes().getFirst().position().toString()).as("the last known state is served")
                .isEqualTo("monolith");

        counting.restore();
        clock.advance(StateSync.POLL_INTERVAL);
        sync.pollAndWait();
        assertThat(sync.status().reachable()).isTrue();
        assertThat(sync.status().lastSync()).contains(clock.instant());
        clock.advance(StateSync.POLL_INTERVAL);
        sync.pollAndWait();

        assertThat(counting.calls(STATES)).as("one full read, at the first answer").isEqualTo(states + 1);
    }

    private HttpServer backend(String name) {
        return Await.result(vertx.createHttpServer().requestHandler(req -> req.response().end(name)).listen(0, "127.0.0.1"));
    }

    private static GatewayConfig file(HttpServer monolith, HttpServer service) {
        try {
            return ConfigLoader.parse("""
                    listen: 127.0.0.1:0
                    monolith: { url: http://127.0.0.1:%d }
                    services:
                      svc: { url: http://127.0.0.1:%d }
                    routes:
                      - name: orders
                        match: { path: /api/orders/** }
                        service: svc
                        stage: monolith
                    """.formatted(monolith.actualPort(), service.actualPort()), Path.of("strangler.yaml"), Map.of());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
