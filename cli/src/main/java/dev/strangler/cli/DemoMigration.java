package dev.strangler.cli;

import dev.strangler.control.StranglerProcess;
import dev.strangler.control.controller.Controller;
import dev.strangler.core.config.AdminSettings;
import dev.strangler.core.config.Backend;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.config.HostPort;
import dev.strangler.core.plan.Gates;
import dev.strangler.core.plan.Judgement;
import dev.strangler.core.plan.PromotionPlan;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code demo --migrate}: a whole migration carried out on evidence, in about a minute.
 * {@code posts-read} (served well by the posts service) starts in shadow and is moved by the
 * controller through canary steps to live; {@code users-read} (served by a users service that gets
 * some fields wrong and fails on some ids) starts in shadow too, is found different, and is held
 * there. The gates are short (seconds, tens of requests) and the controller looks every
 * {@value #CONTROLLER_INTERVAL_MILLIS} ms, so the whole plan runs while you watch.
 *
 * <p>The demo drives its own traffic (one client thread, paced) and prints the audit trail as it
 * grows, read from the admin API's {@code /api/audit} as an operator's script would. Blocking, on
 * the command's thread.
 */
final class DemoMigration {
    static final String USERS_ROUTE = "users-read";
    static final String USERS_SERVICE = "users";
    static final long CONTROLLER_INTERVAL_MILLIS = 200;
    static final List<Double> STEPS = List.of(10.0, 50.0);
    /** Short gates: a few seconds per step, a few dozen requests, latency judged after a one-second warm-up. */
    static final Gates GATES = new Gates(25, Duration.ofSeconds(3), 0.05, 1.0, 0.99, 0.95,
            Duration.ofSeconds(1), Duration.ofMillis(20));
    /** How long {@code --exit-after-check} waits for posts-read to reach live. */
    static final Duration CHECK_LIMIT = Duration.ofSeconds(90);
    /** Once posts-read is live, how long the broken route is still watched before the verdict. */
    private static final Duration HOLD_WATCH = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(250);
    /** Pause between two demo requests: a few hundred a second is plenty, and leaves the machine to others. */
    private static final long PACE_MILLIS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final StranglerProcess process;
    private final DemoGuide guide;
    private final PrintWriter out;
    private final PrintWriter err;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private final Set<String> printed = new HashSet<>();
    private final AtomicBoolean traffic = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final long started = System.nanoTime();
    private String lastHold = "";

    DemoMigration(StranglerProcess process, DemoGuide guide, PrintWriter out, PrintWriter err) {
        this.process = process;
        this.guide = guide;
        this.out = out;
        this.err = err;
    }

    /** The demo's config with both routes in shadow, each under the short plan. */
    static GatewayConfig config(int monolithPort, int postsPort, int usersPort, int port, int adminPort) {
        PromotionPlan plan = new PromotionPlan(true, STEPS, GATES);
        StickyKey sticky = new StickyKey.Header(DemoCommand.STICKY_HEADER);
        Route postsRead = Route.of(DemoCommand.ROUTE, RouteMatch.path("/api/posts/**").withMethods("GET"), DemoCommand.SERVICE)
                .withCanary(0, sticky).withStage(Stage.SHADOW)
                .withRewrite("/posts/**").withPlan(plan);
        Route usersRead = Route.of(USERS_ROUTE, RouteMatch.path("/api/users/{id}").withMethods("GET"), USERS_SERVICE)
                .withCanary(0, sticky).withStage(Stage.SHADOW)
                .withRewrite("/users/{id}").withPlan(plan);
        return new GatewayConfig(
                Optional.empty(),
                new HostPort(DemoCommand.HOST, port),
                Optional.empty(),
                new AdminSettings(new HostPort(DemoCommand.HOST, adminPort), Optional.empty()),
                "jdbc:h2:mem:strangler-demo-migrate",
                Backend.of(Backend.MONOLITH, URI.create("http://" + DemoCommand.HOST + ":" + monolithPort)),
                Map.of(DemoCommand.SERVICE, Backend.of(DemoCommand.SERVICE, URI.create("http://" + DemoCommand.HOST + ":" + postsPort)),
                        USERS_SERVICE, Backend.of(USERS_SERVICE, URI.create("http://" + DemoCommand.HOST + ":" + usersPort))),
                List.of(postsRead, usersRead),
                false, // the audit trail is the story here; a line per request would bury it
                DemoCommand.DRAIN, Duration.ofMillis(CONTROLLER_INTERVAL_MILLIS), Defaults.CATALOG);
    }

    /**
     * Sends traffic and prints the audit trail until posts-read is live (then a little longer, to
     * see the broken route stay held) or {@code limit} passes. True when posts-read reached live
     * and users-read stayed in shadow, held by the controller on its shadow evidence.
     */
    boolean run(Duration limit) throws InterruptedException {
        out.printf("Migrating: %s (posts service, healthy) and %s (users service, broken: wrong handles on even ids, "
                + "500s on ids divisible by 3), both in shadow, steps %s then live, gates: %d requests and %ds per step.%n",
                DemoCommand.ROUTE, USERS_ROUTE, String.join(", ", STEPS.stream().map(s -> "canary " + s.intValue() + "%").toList()), GATES.minRequests(), GATES.minTime().toSeconds());
        out.println("As it happens: the audit trail (from /api/audit) and why the controller holds users-read:");
        out.flush();
        Thread users = Thread.ofPlatform().daemon().name("demo-traffic").start(this::sendTraffic);
        long deadline = System.nanoTime() + limit.toNanos();
        long liveAt = -1;
        try {
            while (System.nanoTime() < deadline) {
                printNewAuditEntries();
                printWhyTheBrokenRouteIsHeld();
                if (liveAt < 0 && stageOf(DemoCommand.ROUTE) == Stage.LIVE) liveAt = System.nanoTime();
                if (liveAt >= 0 && System.nanoTime() - liveAt >= HOLD_WATCH.toNanos()) break;
                Thread.sleep(POLL.toMillis()); // paces the polling of the admin API, not a wait for time to pass in a test
            }
            printNewAuditEntries();
        } finally {
            traffic.set(false);
            users.join(TIMEOUT.toMillis());
        }
        return verdict(liveAt >= 0, limit);
    }

    private boolean verdict(boolean reachedLive, Duration limit) {
        List<String> failures = new ArrayList<>();
        Stage users = stageOf(USERS_ROUTE);
        Optional<Controller.Decision> usersDecision = process.controller().lastDecision(USERS_ROUTE);
        if (!reachedLive)
            failures.add(DemoCommand.ROUTE + " did not reach live within " + limit.toSeconds() + " s (it is at "
                    + positionOf(DemoCommand.ROUTE) + ")");
        if (users != Stage.SHADOW)
            failures.add(USERS_ROUTE + " left shadow (it is at " + positionOf(USERS_ROUTE) + "): its differences should hold it");
        else if (usersDecision.isEmpty() || usersDecision.get().judgement().action() != Judgement.Action.HOLD)
            failures.add(USERS_ROUTE + " was not held by the controller (last judgement: "
                    + usersDecision.map(d -> d.judgement().summary()).orElse("none") + ")");
        out.println();
        out.printf("%d requests sent in %.1f s.%n", sent.get(), (System.nanoTime() - started) / 1e9);
        out.printf("%s: %s%n", DemoCommand.ROUTE, positionOf(DemoCommand.ROUTE));
        out.printf("%s: %s, %s%n", USERS_ROUTE, positionOf(USERS_ROUTE),
                usersDecision.map(d -> "held: " + d.judgement().summary()).orElse("not judged yet"));
        out.flush();
        if (failures.isEmpty()) {
            out.printf("check passed: %s went from shadow through %d canary steps to live on evidence, "
                    + "%s was found different and held in shadow.%n", DemoCommand.ROUTE, STEPS.size(), USERS_ROUTE);
            out.flush();
            return true;
        }
        failures.forEach(f -> err.println("check failed: " + f));
        err.flush();
        return false;
    }

    private Stage stageOf(String route) {
        return route(route).position().stage();
    }

    private String positionOf(String route) {
        return route(route).position().toString();
    }

    private Route route(String name) {
        return process.gateway().config().routes().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * The controller's reason for holding users-read, each time it says something new. A hold is not
     * a move, so the audit log does not have it; the controller's last judgement does. Numbers are
     * left out of the comparison, or every look would print a line.
     */
    private void printWhyTheBrokenRouteIsHeld() {
        process.controller().lastDecision(USERS_ROUTE)
                .filter(d -> d.judgement().action() == Judgement.Action.HOLD)
                .map(d -> d.judgement().summary())
                .filter(summary -> !summary.replaceAll("[0-9.]+", "#").equals(lastHold))
                .ifPresent(summary -> {
                    lastHold = summary.replaceAll("[0-9.]+", "#");
                    out.printf("  +%5.1fs  %-10s %-8s %-20s by controller: %s%n", (System.nanoTime() - started) / 1e9,
                            USERS_ROUTE, "hold", "shadow", summary);
                    out.flush();
                });
    }

    /** Every audit entry not printed yet, oldest first ({@code /api/audit} lists newest first). */
    private void printNewAuditEntries() {
        JsonArray entries;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(guide.admin() + "/api/audit?limit=100"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                err.println("demo: GET /api/audit answered " + r.statusCode());
                return;
            }
            entries = new JsonArray(r.body());
        } catch (IOException | RuntimeException e) {
            err.println("demo: GET /api/audit: " + e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            JsonObject e = entries.getJsonObject(i);
            if (!printed.add(e.encode())) continue;
            out.printf("  +%5.1fs  %-10s %-8s %-20s by %s: %s%n", (System.nanoTime() - started) / 1e9,
                    e.getString("route", "?"), e.getString("action", "?"),
                    position(e.getJsonObject("from")) + " -> " + position(e.getJsonObject("to")),
                    e.getString("actor", "?"), e.getString("reason", ""));
            JsonArray evidence = e.getJsonArray("evidence");
            if (evidence != null) evidence.forEach(line -> out.println("             " + line));
        }
        out.flush();
    }

    private static String position(JsonObject p) {
        if (p == null) return "new";
        Double percent = p.getDouble("percent");
        String stage = p.getString("stage", "?");
        return percent == null ? stage : stage + " " + (percent == Math.rint(percent) ? String.valueOf(percent.longValue()) : percent) + "%";
    }

    /** Users with distinct ids, reading posts and user profiles, until told to stop. */
    private void sendTraffic() {
        int posts = 12;
        int users = 6;
        long i = 0;
        while (traffic.get()) {
            i++;
            String path = i % 2 == 0 ? "/api/posts/" + (i / 2 % posts + 1) : "/api/users/" + (i / 2 % users + 1);
            try {
                http.send(HttpRequest.newBuilder(URI.create(guide.gateway() + path)).timeout(TIMEOUT)
                        .header(DemoCommand.STICKY_HEADER, "user-" + (i % 500)).build(), HttpResponse.BodyHandlers.discarding());
                sent.incrementAndGet();
                Thread.sleep(PACE_MILLIS);
            } catch (IOException e) {
                // the gateway is stopping, or one request failed: the controller's evidence shows it
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
