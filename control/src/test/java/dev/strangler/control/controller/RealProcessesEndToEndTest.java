package dev.strangler.control.controller;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.testing.Await;
import dev.strangler.control.testing.Backends;
import dev.strangler.control.testing.Gateways;
import dev.strangler.control.testing.JdkService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.strangler.control.testing.Http.array;
import static dev.strangler.control.testing.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9's "done when" with real processes: a real gateway and controller (a {@link StranglerProcess}
 * started from a config file, as {@code strangler run} starts it), a Vert.x monolith and a service that
 * is <em>not</em> Vert.x (the JDK's HTTP server), users sending real requests from several threads, a
 * 100 ms controller interval. The numbers these tests measure are printed and quoted in
 * docs/controller-simulation.md ("End to end").
 */
class RealProcessesEndToEndTest {
    private static final int USERS = 4;

    @TempDir
    Path dir;

    private final Backends backends = new Backends();
    private final Gateways gateways = new Gateways();
    private final List<JdkService> services = new ArrayList<>();
    private final Users users = new Users();

    @AfterEach
    void stop() throws InterruptedException {
        users.stop();
        gateways.close();
        services.forEach(JdkService::close);
        backends.close();
    }

    @Test
    void anIdenticalServiceRampsFromShadowThroughTheCanaryStepsToLiveWithoutARollback() {
        JdkService service = service(0);
        StranglerProcess p = start(service, "stage: shadow",
                "{ min-requests: 50, min-time: 1s, warm-up: 0, max-error-increase: 5%, max-latency-increase: 100% }");
        long started = System.nanoTime();
        users.start(p);

        Await.until(Duration.ofSeconds(30), () -> position(p).equals("live"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("e2e ramp: shadow -> live in %d ms, %d user requests, %d non-2xx%n",
                took.toMillis(), users.sent(), users.failures());

        assertThat(took).isLessThan(Duration.ofSeconds(30));
        assertThat(controllerMoves(p)).containsExactly("promote live", "promote canary 50%", "promote canary 20%")
                .noneMatch(m -> m.startsWith("rollback"));
        assertThat(users.failures()).isZero();
    }

    @Test
    void aServiceKilledInCanaryIsTakenOutWithinFiveSecondsWithAtMostThreeUserVisibleFailures() {
        JdkService service = service(0);
        StranglerProcess p = start(service, "stage: canary\n    percent: 50", "{ min-requests: 100000, min-time: 1h }");
        killUnderLoadAndExpectItOutWithinFiveSeconds(p, service);
    }

    @Test
    void aServiceKilledInLiveIsTakenOutWithinFiveSecondsWithAtMostThreeUserVisibleFailures() {
        JdkService service = service(0);
        StranglerProcess p = start(service, "stage: live", "{ min-requests: 100000, min-time: 1h }");
        assertThat(position(p)).isEqualTo("live");
        killUnderLoadAndExpectItOutWithinFiveSeconds(p, service);
    }

    /** Users at full speed, then the service killed: out of user traffic within 5 s, at most 3 failures seen, named unreachable. */
    private void killUnderLoadAndExpectItOutWithinFiveSeconds(StranglerProcess p, JdkService service) {
        users.start(p);
        Await.until(Duration.ofSeconds(15), () -> service.requests() > 200);

        Duration out = killAndTimeUntilShadow(p, service);

        assertThat(out).isLessThan(Duration.ofSeconds(5));
        assertThat(users.failures()).isLessThanOrEqualTo(3);
        assertThat(lastAudit(p).getString("reason")).startsWith("service unreachable");
    }

    @Test
    void aServiceFailingThirtyPercentOfRequestsIsRolledBackWithinTwentySecondsWithItsErrorsAsTheReason() {
        JdkService service = service(3);
        StranglerProcess p = start(service, "stage: canary\n    percent: 50", "{ min-requests: 50, min-time: 1h }");
        long started = System.nanoTime();
        users.start(p);

        Await.until(Duration.ofSeconds(20), () -> position(p).equals("shadow"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        JsonObject rollback = lastAudit(p);
        System.out.printf("e2e 30%% errors: rolled back in %d ms after %d service requests: %s%n",
                took.toMillis(), service.requests(), rollback.getString("reason"));

        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(rollback.getString("actor")).isEqualTo("controller");
        assertThat(rollback.getString("action")).isEqualTo("rollback");
        assertThat(rollback.getString("reason")).matches("service (error rate|failing).*");
        assertThat(rollback.getJsonArray("evidence").getString(0)).matches("(error rate|fast path).*FAIL");
    }

    private Duration killAndTimeUntilShadow(StranglerProcess p, JdkService service) {
        long before = users.failures();
        long killed = System.nanoTime();
        service.kill();
        Await.until(Duration.ofSeconds(10), () -> position(p).equals("shadow"));
        Duration out = Duration.ofNanos(System.nanoTime() - killed);
        // A few more requests after the move: what users get once the route is out must be the monolith.
        long sent = users.sent();
        Await.until(Duration.ofSeconds(5), () -> users.sent() > sent + 100);
        JsonObject move = lastAudit(p);
        System.out.printf("e2e kill in %s: taken out in %d ms, %d non-2xx before the kill, %d after (%s); %s%n",
                move.getJsonObject("from").getString("stage"), out.toMillis(), before,
                users.failures() - before, users.failureSamples(), move.getString("reason"));
        return out;
    }

    private JdkService service(int failingTenths) {
        JdkService s = new JdkService(failingTenths);
        services.add(s);
        return s;
    }

    private StranglerProcess start(JdkService service, String stage, String gates) {
        return gateways.start(dir.resolve("strangler.yaml"), Gateways.config("jdbc:h2:file:" + dir.resolve("state"),
                backends.healthy().actualPort(), service.port(), "100ms", """
                  - name: orders
                    match: { path: /api/orders/** }
                    service: svc
                    %s
                    sticky: header:X-User-Id
                    steps: [20, 50, 100]
                    gates: %s
                """.formatted(stage, gates)));
    }

    private static String position(StranglerProcess p) {
        String s = p.gateway().config().routes().getFirst().position().toString();
        return s.startsWith("canary") ? s : s.split(" ")[0];
    }

    private static JsonObject lastAudit(StranglerProcess p) {
        return array(get(p.adminPort(), "/api/audit?route=orders&limit=1")).getJsonObject(0);
    }

    private static List<String> controllerMoves(StranglerProcess p) {
        JsonArray log = array(get(p.adminPort(), "/api/audit?route=orders"));
        return log.stream().map(e -> (JsonObject) e)
                .filter(e -> e.getString("actor").equals("controller"))
                .map(e -> {
                    JsonObject to = e.getJsonObject("to");
                    String where = to.getString("stage").equals("canary")
                            ? "canary " + Math.round(to.getDouble("percent")) + "%" : to.getString("stage");
                    return e.getString("action") + " " + where;
                })
                .toList();
    }

    /**
     * {@value #USERS} users in a loop, each request with a new sticky id (so every canary share sees
     * traffic), counting what a user would call a failure: anything but a 2xx, or no answer at all.
     */
    private static final class Users {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        void start(StranglerProcess p) {
            for (int u = 0; u < USERS; u++) {
                int user = u;
                threads.add(Thread.ofPlatform().daemon().start(() -> {
                    long i = 0;
                    while (running.get()) {
                        String id = "u" + user + "-" + i++;
                        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + "/api/orders/" + i))
                                .header("X-User-Id", id).timeout(Duration.ofSeconds(10)).build();
                        try {
                            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() / 100 != 2) fail(r.statusCode() + " " + r.body());
                        } catch (Exception e) {
                            if (running.get()) fail(e.toString());
                        }
                        sent.incrementAndGet();
                    }
                }));
            }
        }

        private void fail(String what) {
            failures.incrementAndGet();
            if (samples.size() < 5) samples.add(what);
        }

        long sent() {
            return sent.get();
        }

        long failures() {
            return failures.get();
        }

        List<String> failureSamples() {
            return List.copyOf(samples);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) t.join(15_000);
        }
    }
}
