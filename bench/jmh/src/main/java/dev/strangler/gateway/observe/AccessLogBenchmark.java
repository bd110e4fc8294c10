package dev.strangler.gateway.observe;

import dev.strangler.bench.proxy.ProxyAllocationBenchmark;
import dev.strangler.cli.AccessLogAppender;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.stage.Stage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What one access-log line costs the writer thread: formatting the time, redacting the query and
 * escaping the strings of a realistic request, straight into the UTF-8 bytes that are written (into a
 * reused buffer, as in the writer's batch; before issue 14 each line was a new StringBuilder and a
 * String). The event loop no longer does this work (it queues the outcome), so this is the per-request
 * cost moved off it. In this package because the line builder is package-private.
 *
 * <p>{@link #linesBatchedThroughLogback} is the writer's whole pass per line, as {@code strangler run}
 * makes it: lines gathered into a batch, the batch logged through Logback with cli's
 * {@link AccessLogAppender} (to a stream that counts the bytes instead of stdout).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccessLogBenchmark {
    private static final Redactor REDACTOR = Redactor.of("password", "passwd", "secret", "token", "access_token", "api_key");
    private final Outcome plain = outcome("");
    private final Outcome withQuery = outcome("page=2&sort=new&token=eyJhbGciOiJIUzI1NiJ9.abc&lang=en");
    private long now = 1_796_000_000_000L;
    private final Utf8Text text = new Utf8Text(1024);
    private static final int LINES_PER_BATCH = 100;

    /** The writer's batch, logged through Logback with cli's appender to a stream that counts the bytes. */
    @State(Scope.Thread)
    public static class Writer {
        /** Bytes that reached the output: a Logback set-up that failed to append would measure nothing. */
        private long written;
        private final OutputStream output = new OutputStream() {
            @Override
            public void write(int b) {
                written++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written += len;
            }
        };
        final AccessLogBatch batch = new AccessLogBatch(ProxyAllocationBenchmark.accessLogTo(output), REDACTOR);

        @TearDown
        public void checkTheLinesWereWritten() {
            if (written == 0) throw new IllegalStateException("no line reached the output: the Logback set-up failed to append");
        }
    }

    private static Outcome outcome(String query) {
        return new Outcome("6f1c9a2e-4b7d-4c1e-9f3a-2b8d7e6c5a41", "GET", "/api/posts/1234/comments", "posts-read",
                Stage.CANARY, "posts", 200, 1_530_000, 0, 2_048, Optional.empty(), Optional.empty(), "",
                new RequestDetails(query, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0",
                        "10.1.2.3", 20_000, 1_200_000));
    }

    /** One slot, as the queue's: the outcome is copied into it and the line formatted from it. */
    private final OutcomeCopies copy = new OutcomeCopies(1);
    private final OutcomeQueue queue = new OutcomeQueue(AccessLog.WAKE_AT_LINES);
    private static final OutcomeQueue.Taker NOT_FORMATTED = (copies, slot) -> { };

    /** The line of {@code o} in a reused buffer, as the writer formats it into its batch's from the outcome's copy. */
    private Utf8Text line(Outcome o) {
        text.clear();
        copy.copy(0, o, now++);
        copy.format(0, text, REDACTOR);
        return text;
    }

    /**
     * The event loop's part of the hand-off, per line: reading nothing but the outcome, copying it into the
     * queue's slot (with a query, so every text field is copied), and the writer taking the slot without
     * formatting it. {@code -prof gc} shows what it allocates per line: nothing, once the slots' arrays are made.
     */
    @Benchmark
    @OperationsPerInvocation(AccessLog.WAKE_AT_LINES)
    public int handOff() {
        for (int i = 0; i < AccessLog.WAKE_AT_LINES; i++) queue.offer(withQuery, now++);
        return queue.drain(NOT_FORMATTED);
    }

    @Benchmark
    public Utf8Text lineWithoutQuery() {
        return line(plain);
    }

    @Benchmark
    public Utf8Text lineWithARedactedQuery() {
        return line(withQuery);
    }

    @Benchmark
    @OperationsPerInvocation(LINES_PER_BATCH)
    public void linesBatchedThroughLogback(Writer writer) {
        for (int i = 0; i < LINES_PER_BATCH; i++) writer.batch.add(i % 2 == 0 ? plain : withQuery, now++);
        writer.batch.flush();
    }
}
