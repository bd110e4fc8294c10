package dev.strangler.bench.catalog;

import dev.strangler.core.catalog.Catalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What the endpoint catalog costs per request: templating a realistic raw path (ids, UUIDs, aliases,
 * query strings) and adding it to its endpoint (status, latency sketch, sizes). The gateway's event
 * loop does this work itself when a request ends (each loop has its own catalog), so ops/s here is
 * how many requests one core can catalog.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CatalogBenchmark {
    private static final int PATHS = 4096;

    private Catalog catalog;
    private String[] paths;
    private String[] methods;
    private int next;
    private final Instant now = Instant.parse("2026-11-25T12:00:00Z");

    @Setup
    public void setUp() {
        Random random = new Random(42);
        paths = new String[PATHS];
        methods = new String[PATHS];
        for (int i = 0; i < PATHS; i++) {
            int id = random.nextInt(100_000);
            paths[i] = switch (i % 6) {
                case 0 -> "/api/posts/" + id;
                case 1 -> "/api/posts/" + id + "/comments?page=" + random.nextInt(5);
                case 2 -> "/api/users/me";
                case 3 -> "/api/users/" + id + "/orders/" + new java.util.UUID(random.nextLong(), random.nextLong());
                case 4 -> "/api/search?q=shoes";
                default -> "/api/reports/2026-11-" + (10 + random.nextInt(18));
            };
            methods[i] = i % 10 == 0 ? "POST" : "GET";
        }
        catalog = new Catalog();
    }

    @Benchmark
    public void record() {
        int i = next++ & (PATHS - 1);
        catalog.record(methods[i], paths[i], 200, 3_000_000 + i, 0, 512, Optional.empty(), Optional.empty(), now);
    }
}
