package dev.strangler.cli;

import dev.strangler.control.StranglerProcess;
import dev.strangler.core.config.AdminSettings;
import dev.strangler.core.config.Backend;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.config.HostPort;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.StickyKey;
import dev.strangler.examples.BlogData;
import dev.strangler.examples.DemoMonolith;
import dev.strangler.examples.DemoPostsService;
import dev.strangler.examples.DemoUsersService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A migration in one process: the blog monolith, its extracted posts service, and the gateway in
 * front with one route, {@code posts-read}, in canary at 50%. The two apps run on their own small
 * Vert.x instance so the gateway's {@code /metrics} shows the gateway's traffic only.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a demo monolith, an extracted posts service and the gateway in front of them, in one process.",
                "Prints what to curl; Ctrl-C stops."})
final class DemoCommand implements Callable<Integer> {
    static final String HOST = "127.0.0.1";
    static final String ROUTE = "posts-read";
    static final String SERVICE = "posts";
    static final double PERCENT = 50;
    static final String STICKY_HEADER = "X-User-Id";
    /** Ctrl-C on an idle demo returns at once; this only bounds a demo under load. */
    static final Duration DRAIN = Duration.ofSeconds(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Gateway port on " + HOST + "; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--admin-port", defaultValue = "9090", paramLabel = "PORT",
            description = "Admin port on " + HOST + "; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int adminPort;

    @Option(names = "--exit-after-check",
            description = "Start everything, send a few requests through the gateway, print who answered, "
                    + "stop and exit: 0 when the demo behaves, 1 otherwise. For tests and CI.")
    boolean exitAfterCheck;

    @Option(names = "--migrate",
            description = {"Show a whole migration in about a minute, driving its own traffic: posts-read goes shadow -> canary "
                    + "steps -> live on evidence while a broken users service is shadowed, found different and held. "
                    + "The audit trail is printed as it happens.",
                    "With --exit-after-check: exit 0 when posts-read reached live and users-read stayed held in shadow "
                            + "within 90 s, 1 otherwise."})
    boolean migrate;

    @Mixin
    LogLevels logLevels;

    @Override
    public Integer call() throws InterruptedException {
        requirePort("--port", port);
        requirePort("--admin-port", adminPort);
        logLevels.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        Vertx apps = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        StranglerProcess process;
        DemoMonolith monolith;
        DemoPostsService posts;
        DemoUsersService users = null;
        try {
            // One data set behind both apps, as one database is during a real migration: a post
            // created through either side is visible on both.
            BlogData data = BlogData.sample();
            monolith = Blocking.await(DemoMonolith.start(apps, HOST, 0, data), START_TIMEOUT, "start the demo monolith");
            posts = Blocking.await(DemoPostsService.start(apps, HOST, 0, data), START_TIMEOUT, "start the demo posts service");
            GatewayConfig config;
            if (migrate) {
                users = Blocking.await(DemoUsersService.start(apps, HOST, 0, data), START_TIMEOUT, "start the demo users service");
                config = DemoMigration.config(monolith.port(), posts.port(), users.port(), port, adminPort);
            } else {
                // The check prints its own line per request; the access log would say each twice.
                config = config(monolith.port(), posts.port(), port, adminPort).withAccessLog(!exitAfterCheck);
            }
            process = Blocking.await(StranglerProcess.start(config, Runtime.getRuntime().availableProcessors()),
                    START_TIMEOUT, "start the gateway");
        } catch (StranglerProcess.ListenFailure e) {
            apps.close();
            err.println("error: " + e.getMessage());
            if (e.isAddressInUse()) {
                String flag = e.listener() == StranglerProcess.Listener.GATEWAY ? "--port" : "--admin-port";
                int busy = e.address().port();
                err.printf("Another program is using port %d. Pick another with %s, e.g. %s %d, or %s 0 for any free port.%n",
                        busy, flag, flag, busy <= 55535 ? busy + 10000 : busy - 10000, flag);
            }
            return Main.FAILED;
        } catch (RuntimeException | InterruptedException e) {
            apps.close();
            throw e;
        }

        DemoGuide guide = new DemoGuide(HOST, process.port(), process.adminPort(), monolith.port(), posts.port());
        if (migrate) return migrate(process, apps, guide, out, err);
        guide.print(out);
        out.println("Dashboard: open " + guide.admin() + "/ in a browser (no token in the demo: Continue read-only, or sign in with your name)");
        out.flush();

        Future<Void> stopAll = null;
        if (exitAfterCheck) {
            boolean passed;
            try {
                passed = new DemoCheck(guide, out, err).run();
            } finally {
                Blocking.await(process.stop().eventually(apps::close), DRAIN.plus(Shutdown.GRACE), "stop");
            }
            return passed ? Main.OK : Main.FAILED;
        }
        out.println("Ctrl-C to stop. The access log (one JSON line per request) follows.");
        out.flush();
        Shutdown.runUntilSignal(() -> process.stop().eventually(apps::close), DRAIN, err);
        return Main.OK; // not reached: the shutdown hook ends the JVM
    }

    /** {@code --migrate}: the dashboard first, then the migration as it happens; see {@link DemoMigration}. */
    private int migrate(StranglerProcess process, Vertx apps, DemoGuide guide, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        out.println("Dashboard: open " + guide.admin() + "/ in a browser to watch (no token in the demo: Continue read-only)");
        out.println("gateway   " + guide.gateway() + "    audit   " + guide.admin() + "/api/audit");
        out.flush();
        boolean passed;
        try {
            passed = new DemoMigration(process, guide, out, err).run(DemoMigration.CHECK_LIMIT);
        } finally {
            if (exitAfterCheck) Blocking.await(process.stop().eventually(apps::close), DRAIN.plus(Shutdown.GRACE), "stop");
        }
        if (exitAfterCheck) return passed ? Main.OK : Main.FAILED;
        out.println("The migration is over; the gateway keeps serving (posts-read live). Ctrl-C to stop.");
        out.flush();
        Shutdown.runUntilSignal(() -> process.stop().eventually(apps::close), DRAIN, err);
        return Main.OK; // not reached: the shutdown hook ends the JVM
    }

    /** The demo's config, as the file would say it; see {@link DemoGuide#YAML}. */
    static GatewayConfig config(int monolithPort, int postsPort, int port, int adminPort) {
        Route postsRead = Route.of(ROUTE, RouteMatch.path("/api/posts/**").withMethods("GET"), SERVICE)
                .withCanary(PERCENT, new StickyKey.Header(STICKY_HEADER))
                .withRewrite("/posts/**");
        return new GatewayConfig(
                Optional.empty(),
                new HostPort(HOST, port),
                Optional.empty(),
                new AdminSettings(new HostPort(HOST, adminPort), Optional.empty()),
                "jdbc:h2:mem:strangler-demo", // nothing of the demo outlives it
                Backend.of(Backend.MONOLITH, URI.create("http://" + HOST + ":" + monolithPort)),
                Map.of(SERVICE, Backend.of(SERVICE, URI.create("http://" + HOST + ":" + postsPort))),
                List.of(postsRead),
                true,
                DRAIN, Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
    }

    private void requirePort(String option, int value) {
        if (value < 0 || value > 65535)
            throw new ParameterException(spec.commandLine(), option + ": " + value + " (expected: 0..65535, 0 for any free port)");
    }
}
