package dev.strangler.bench.diff;

import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffOptions;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.ResponseDiffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;

/**
 * Throughput of one shadow comparison of two ~2 KB JSON bodies (parse both, walk, report), the
 * target being at least 20,000 diffs per second per core. The service's body differs the way real
 * ones do: timestamps everywhere (ignored by {@code $..updatedAt}), a member order change, one
 * price and one extra member. The bodies are never byte-identical, so the parse is always paid.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseDiffBenchmark {
    private CapturedResponse monolith;
    private CapturedResponse service;
    private ResponseDiffer plain;
    private ResponseDiffer ignoringTimestamps;
    private ResponseDiffer unorderedItems;
    private ResponseDiffer unorderedEverywhere;

    @Setup
    public void setUp() {
        StringBuilder m = new StringBuilder("{\"meta\":{\"took\":3,\"updatedAt\":\"2024-01-01T00:00:00Z\"},\"items\":[");
        StringBuilder s = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 16; i++) {
            String comma = i > 0 ? "," : "";
            m.append(comma).append(item(i, i * 1.5, "2024-01-01T00:00:00Z", false));
            s.append(comma).append(item(i, i == 7 ? 99 : i * 1.5, "2024-01-02T00:00:00Z", i == 11));
        }
        m.append("]}");
        s.append("],\"meta\":{\"took\":4,\"updatedAt\":\"2024-01-02T00:00:00Z\"}}");
        monolith = CapturedResponse.of(200, "application/json", m.toString().getBytes(StandardCharsets.UTF_8));
        service = CapturedResponse.of(200, "application/json; charset=utf-8", s.toString().getBytes(StandardCharsets.UTF_8));
        plain = new ResponseDiffer(DiffOptions.DEFAULTS);
        ignoringTimestamps = new ResponseDiffer(DiffOptions.DEFAULTS.withIgnorePaths("$..updatedAt", "$.meta.took"));
        unorderedItems = new ResponseDiffer(DiffOptions.DEFAULTS.withIgnorePaths("$..updatedAt").withUnorderedArrayPaths("$.items"));
        unorderedEverywhere = new ResponseDiffer(DiffOptions.DEFAULTS.withIgnorePaths("$..updatedAt").withUnorderedArrays(true));
        if (monolith.body().length < 1500 || monolith.body().length > 2600)
            throw new IllegalStateException("body of " + monolith.body().length + " bytes (expected: about 2 KB)");
    }

    private static String item(int id, double price, String updatedAt, boolean extra) {
        return "{\"id\":" + id + ",\"name\":\"item number " + id + "\",\"price\":" + price
                + ",\"tags\":[\"red\",\"blue\",\"green\"],\"stock\":{\"warehouse\":\"north\",\"count\":" + (id * 7)
                + "},\"updatedAt\":\"" + updatedAt + "\"" + (extra ? ",\"discount\":0.1" : "") + "}";
    }

    @Benchmark
    public DiffResult plain() {
        return plain.diff(monolith, service);
    }

    @Benchmark
    public DiffResult ignoringTimestamps() {
        return ignoringTimestamps.diff(monolith, service);
    }

    @Benchmark
    public DiffResult unorderedItems() {
        return unorderedItems.diff(monolith, service);
    }

    @Benchmark
    public DiffResult unorderedEverywhere() {
        return unorderedEverywhere.diff(monolith, service);
    }
}
