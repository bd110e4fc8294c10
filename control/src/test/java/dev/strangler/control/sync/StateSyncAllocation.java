package dev.strangler.control.sync;

import dev.strangler.control.migration.GateCheck;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.testing.Await;
import dev.strangler.control.window.WindowRecorder;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.stage.Decider;
import dev.strangler.gateway.Gateway;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.store.StateStore;
import io.vertx.core.Vertx;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Not a test (surefire does not run it): what the state-sync thread allocates and spends while
 * nothing changes, with N routes in an H2 file store, polled by the real scheduler. Run from the
 * test classpath: {@code java -cp ... dev.strangler.control.sync.StateSyncAllocation [routes] [seconds]}.
 */
public final class StateSyncAllocation {
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    public static void main(String[] args) throws Exception {
        int routes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        Path dir = Files.createTempDirectory("state-sync-allocation");
        Vertx vertx = Vertx.vertx();
        try (StateStore store = StateStore.open("jdbc:h2:file:" + dir.resolve("state"))) {
            GatewayConfig file = file(routes);
            Migration migration = new Migration(store, file, Clock.systemUTC(), GateCheck.NONE);
            GatewayConfig effective = migration.reconcile(file);
            Gateway gateway = Await.result(Gateway.start(vertx, effective, new Decider(new Random(1)), ExchangeObserver.all(List.of()), 1));
            try (StateSync sync = new StateSync(gateway, migration, new WindowRecorder("gw-1", Clock.systemUTC()),
                    migration.states(), Clock.systemUTC())) {
                sync.start(file.controllerInterval());
                Thread.sleep(WARM_UP.toMillis());
                var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long id = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("strangler-state-sync"))
                        .findFirst().orElseThrow().threadId();
                long bytes = threads.getThreadAllocatedBytes(id);
                long cpu = threads.getThreadCpuTime(id);
                Thread.sleep(window.toMillis());
                bytes = threads.getThreadAllocatedBytes(id) - bytes;
                cpu = threads.getThreadCpuTime(id) - cpu;
                System.out.printf("routes=%d window=%ds state-sync allocated=%.1f MB (%.2f MB/s) cpu=%d ms%n", routes,
                        window.toSeconds(), bytes / 1e6, bytes / 1e6 / window.toSeconds(), cpu / 1_000_000);
            }
        } finally {
            Await.result(vertx.close());
        }
    }

    private static GatewayConfig file(int routes) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                listen: 127.0.0.1:0
                monolith: { url: http://127.0.0.1:1 }
                services:
                  svc: { url: http://127.0.0.1:2 }
                routes:
                """);
        for (int i = 0; i < routes; i++) {
            yaml.append("  - { name: r").append(i).append(", match: { path: /api/r").append(i)
                    .append("/** }, service: svc, stage: shadow }\n");
        }
        return ConfigLoader.parse(yaml.toString(), Path.of("strangler.yaml"), Map.of());
    }
}
