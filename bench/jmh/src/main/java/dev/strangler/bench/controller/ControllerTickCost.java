package dev.strangler.bench.controller;

import dev.strangler.control.controller.BackOff;
import dev.strangler.control.controller.ConnectProbe;
import dev.strangler.control.controller.Controller;
import dev.strangler.control.migration.GateCheck;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.testing.ManyRoutes;
import dev.strangler.control.testing.TestClock;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.SideSample;
import dev.strangler.core.plan.StepJudge;
import dev.strangler.store.MetricWindow;
import dev.strangler.store.StateStore;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;

/**
 * What one controller tick costs the thread that runs it, with many automated routes: thread CPU
 * time and bytes allocated per {@link Controller#tick()}, medians of many ticks on a clock that moves
 * one interval (10 s) per tick. Not a JMH benchmark: JMH times wall clock, and on a shared host the
 * tick's allocation (host-independent) and its own thread's CPU say more than its wall time.
 *
 * <p>Two shapes: {@code live} — every route live with no traffic, as in {@code bench/proxy.sh}'s
 * {@code strangler-1000} (the controller still judges each for outages every tick); {@code canary} —
 * every route in canary with {@value #WINDOWS_PER_ROUTE} stored windows of traffic that passes no
 * gate yet (the minimum time is a day), so each tick reads and sums them and holds.
 *
 * <p>On H2 (a file, as {@code strangler run} uses) the database runs in the ticking thread, so its
 * cost is counted; on PostgreSQL only the client's side is (the server is another process).
 *
 * <pre>
 * ./mvnw -o -B -q -P bench -pl bench/jmh -am package -DskipTests
 * java -cp bench/jmh/target/benchmarks.jar dev.strangler.bench.controller.ControllerTickCost h2 live 1000
 * java -cp bench/jmh/target/benchmarks.jar dev.strangler.bench.controller.ControllerTickCost pg canary 200
 * </pre>
 * Arguments: store ({@code h2} or {@code pg}; PostgreSQL at {@code STRANGLER_BENCH_PG_URL}, by default
 * the local trust-auth one, in a schema of its own dropped at the end), shape, routes, and optionally
 * the measured ticks (default 300) and warm-up ticks (default 60).
 */
public final class ControllerTickCost {
    static final String PG_SERVER = System.getenv().getOrDefault("STRANGLER_BENCH_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    static final int WINDOWS_PER_ROUTE = 30;
    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private ControllerTickCost() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ControllerTickCost h2|pg live|canary ROUTES [TICKS [WARMUP]]");
            System.exit(2);
        }
        String db = args[0];
        String shape = args[1];
        int routes = Integer.parseInt(args[2]);
        int ticks = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        if (!shape.equals("live") && !shape.equals("canary")) throw new IllegalArgumentException("shape: " + shape
                + " (expected: live or canary)");

        Path dir = Files.createTempDirectory("strangler-tick-cost");
        String schema = "strangler_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = switch (db) {
            case "h2" -> "jdbc:h2:file:" + dir.resolve("state");
            case "pg" -> PG_SERVER + (PG_SERVER.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            default -> throw new IllegalArgumentException("store: " + db + " (expected: h2 or pg)");
        };
        TestClock clock = new TestClock(T0);
        try (StateStore store = StateStore.open(url)) {
            GatewayConfig file = config(shape, routes);
            Migration migration = new Migration(store, file, clock, GateCheck.NONE);
            migration.reconcile(file);
            if (shape.equals("canary")) writeWindows(store, routes);
            clock.advance(Duration.ofMinutes(6));
            try (Controller controller = new Controller(migration, store.leadership("controller"), clock,
                    new BackOff(Duration.ofMinutes(10), Duration.ofHours(4)), StepJudge::judge, ConnectProbe.NONE)) {
                Result result = measure(controller, clock, ticks, warmup);
                System.out.printf("%s %s routes=%d ticks=%d: thread CPU per tick median %,d µs (p90 %,d), "
                                + "allocated per tick median %,d bytes (p90 %,d), process CPU per tick median %,d µs%n",
                        db, shape, routes, ticks, result.cpuMicros[ticks / 2], result.cpuMicros[ticks * 9 / 10],
                        result.allocated[ticks / 2], result.allocated[ticks * 9 / 10], result.processCpuMicros[ticks / 2]);
                System.out.println("decisions stored: " + store.decisions().size() + ", audit entries: "
                        + store.audit(java.util.Optional.empty(), 1000).size());
            }
        } finally {
            if (db.equals("pg")) {
                try (Connection c = DriverManager.getConnection(PG_SERVER); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Result(long[] cpuMicros, long[] allocated, long[] processCpuMicros) {}

    private static Result measure(Controller controller, TestClock clock, int ticks, int warmup) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var process = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        threads.setThreadCpuTimeEnabled(true);
        threads.setThreadAllocatedMemoryEnabled(true);
        for (int i = 0; i < warmup; i++) {
            controller.tick();
            clock.advance(INTERVAL);
        }
        long[] cpu = new long[ticks];
        long[] bytes = new long[ticks];
        long[] processCpu = new long[ticks];
        for (int i = 0; i < ticks; i++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long bytes0 = threads.getCurrentThreadAllocatedBytes();
            long process0 = process.getProcessCpuTime();
            controller.tick();
            cpu[i] = (threads.getCurrentThreadCpuTime() - cpu0) / 1000;
            bytes[i] = threads.getCurrentThreadAllocatedBytes() - bytes0;
            processCpu[i] = (process.getProcessCpuTime() - process0) / 1000;
            clock.advance(INTERVAL);
        }
        Arrays.sort(cpu);
        Arrays.sort(bytes);
        Arrays.sort(processCpu);
        return new Result(cpu, bytes, processCpu);
    }

    /**
     * {@code routes} disjoint routes on one service, all automated: live ones judged for outages; canary
     * ones (at 20%) whose gates cannot pass within the run (a day's minimum time), so nothing moves.
     */
    static GatewayConfig config(String shape, int routes) {
        return ManyRoutes.config(routes, i -> shape.equals("live") ? "    stage: live\n"
                : "    stage: canary\n    percent: 20\n    steps: [20, 50, 100]\n    gates: { min-requests: 100, min-time: 1d }\n");
    }

    /** Five minutes of one gateway's traffic per route, both sides alike and healthy: the gates hold on time alone. */
    private static void writeWindows(StateStore store, int routes) {
        double[] latencies = new double[50];
        for (int i = 0; i < latencies.length; i++) latencies[i] = 5 + (i % 10) * 0.25;
        SideSample side = new SideSample(50, 0, latencies);
        for (int r = 0; r < routes; r++) {
            for (int w = 0; w < WINDOWS_PER_ROUTE; w++) {
                Instant start = T0.plus(INTERVAL.multipliedBy(w));
                store.addWindow(new MetricWindow("gw-1", "r" + r, start, start.plus(INTERVAL), side, side, 0, 0));
            }
        }
    }
}
