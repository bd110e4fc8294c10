package dev.strangler.bench.openloop;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real loopback server; the generator's figures must charge a slow target for the requests it delayed. */
class ConstantRateTest {
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void startServer() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        // Every answer takes 50 ms: over 2 connections the target serves at most 40 requests/s.
        server = vertx.createHttpServer()
                .requestHandler(req -> {
                    if (!req.path().equals("/never")) vertx.setTimer(50, t -> req.response().end("ok"));
                })
                .listen(0, "127.0.0.1").await();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private ConstantRate.Outcome run(double rate, double seconds, int connections) throws Exception {
        return run("/x", rate, seconds, connections, 30_000);
    }

    private ConstantRate.Outcome run(String path, double rate, double seconds, int connections, long drainMillis) throws Exception {
        var settings = Settings.parse(new String[] {"--url", "http://127.0.0.1:" + server.actualPort() + path,
                "--rate", String.valueOf(rate), "--duration", String.valueOf(seconds), "--warmup", "0",
                "--connections", String.valueOf(connections)});
        var client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(connections));
        var context = vertx.getOrCreateContext();
        var outcome = new java.util.concurrent.CompletableFuture<ConstantRate.Outcome>();
        // Primed for 1 s first, as the command does: a cold client's first request loads classes for a while.
        var prime = ConstantRate.get(Settings.parse(new String[] {"--url", "http://127.0.0.1:" + server.actualPort() + "/x", "--rate", "1"}));
        context.runOnContext(v -> ConstantRate.prime(vertx, client, prime, connections, 0, 1)
                .compose(primed -> new ConstantRate(vertx, client, ConstantRate.get(settings),
                        Schedule.of(System.nanoTime(), rate, 0, seconds), drainMillis).run())
                .onComplete(ar -> outcome.complete(ar.result())));
        return outcome.get(30, TimeUnit.SECONDS);
    }

    @Test
    void belowTheTargetsCapacityEveryRequestTakesAboutTheTargetsOwnTime() throws Exception {
        var outcome = run(20, 1, 4);

        assertThat(outcome.ok()).isEqualTo(20);
        assertThat(outcome.errors()).isZero();
        assertThat(outcome.latency().getValueAtPercentile(50)).isBetween(TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(500));
    }

    @Test
    void aRequestDelayedByTheTargetIsTimedFromWhenItShouldHaveBeenSent() throws Exception {
        // 100 requests/s for 1 s against a target that serves 40/s: the last requests wait ~1.5 s
        // for a connection. Timed from their actual send (a closed loop) they would all look like 50 ms.
        var outcome = run(100, 1, 2);

        assertThat(outcome.ok()).isEqualTo(100);
        assertThat(outcome.latency().getValueAtPercentile(99)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1_000));
        assertThat(outcome.sendLag().getValueAtPercentile(99))
                .as("the generator itself kept to its schedule").isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(outcome.doneRate()).isLessThan(60);
    }

    @Test
    void answersStillMissingAfterTheDrainTimeAreCountedAsUnansweredInsteadOfHoldingTheRun() throws Exception {
        long start = System.nanoTime();
        var outcome = run("/never", 20, 0.5, 4, 300);

        assertThat(outcome.ok()).isZero();
        assertThat(outcome.unanswered()).isEqualTo(10);
        assertThat(outcome.errors()).isEqualTo(10);
        assertThat(System.nanoTime() - start).as("well before the 10 s request timeout").isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void settingsNameEveryProblemAtOnce() {
        var error = org.assertj.core.api.Assertions.catchThrowable(() -> Settings.parse(new String[] {"--rate", "0", "--bogus", "1"}));

        assertThat(error).hasMessageContaining("--url: required").hasMessageContaining("--rate: must be > 0")
                .hasMessageContaining("--bogus: unknown option");
        assertThat(Settings.parse(new String[] {"--url", "http://h:1/a?b=c", "--rate", "5"}).pathAndQuery()).isEqualTo("/a?b=c");
        assertThat(URI.create("http://h:1").getRawPath()).isEmpty();
        assertThat(Settings.parse(new String[] {"--url", "http://h:1", "--rate", "5"}).pathAndQuery()).isEqualTo("/");
    }
}
