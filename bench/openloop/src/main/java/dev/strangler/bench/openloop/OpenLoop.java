package dev.strangler.bench.openloop;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Open-loop (constant-rate) HTTP load generator for bench/open-loop.sh and bench/idle.sh. Prints one
 * machine-readable {@code RESULT} line on standard output (latencies in milliseconds) and a summary
 * on standard error. Exit 0: measured; 2: the generator fell behind its own schedule (its figures
 * are not the target's); 1: it could not run; 64: bad arguments.
 */
public final class OpenLoop {
    private static final double MAX_PRIME_SECONDS = 60;
    private OpenLoop() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        int status;
        try {
            status = run(vertx, settings);
        } finally {
            vertx.close().await();
        }
        System.exit(status);
    }

    static int run(Vertx vertx, Settings settings) throws Exception {
        var http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(settings.connections()));
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var result = new CompletableFuture<ConstantRate.Outcome>();
        long[] cpuAtStart = new long[2];
        long[] primedRate = {0};
        var get = ConstantRate.get(settings);
        var targetCpu = new TargetCpu(settings.targetPids());
        double[] targetCpuStart = new double[2];
        double[] targetCpuShare = {-1};
        vertx.getOrCreateContext().runOnContext(v -> primed(vertx, http, get, settings).compose(closedLoopRate -> {
            primedRate[0] = closedLoopRate;
            // Scripts wait for this line: the constant-rate schedule starts now (bench/wakeups.sh).
            if (settings.primeSeconds() > 0) {
                System.err.printf(Locale.ROOT, "openloop: primed; closed loop at the end: %d req/s (%d connections)%n",
                        closedLoopRate, settings.connections());
            } else {
                System.err.println("openloop: primed: none (--prime 0); the schedule starts");
            }
            cpuAtStart[0] = os.getProcessCpuTime();
            cpuAtStart[1] = System.nanoTime();
            var schedule = Schedule.of(System.nanoTime() + 1_000_000, settings.rate(), settings.warmupSeconds(),
                    settings.durationSeconds());
            if (targetCpu.isKnown()) startTargetCpu(vertx, targetCpu, schedule, targetCpuStart);
            return new ConstantRate(vertx, http, get, schedule, (long) (settings.timeoutSeconds() * 1000)).run()
                    .onSuccess(done -> {
                        if (targetCpu.isKnown()) targetCpuShare[0] = targetCpuShare(targetCpu, targetCpuStart);
                    });
        }).onComplete(outcome -> {
            if (outcome.succeeded()) result.complete(outcome.result());
            else result.completeExceptionally(outcome.cause());
        }));
        ConstantRate.Outcome outcome;
        try {
            outcome = result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("openloop: " + e.getCause().getMessage());
            return 1;
        }
        double generatorCpu = (os.getProcessCpuTime() - cpuAtStart[0]) / (double) (System.nanoTime() - cpuAtStart[1]);
        var latency = outcome.latency();
        System.out.println(String.format(Locale.ROOT,
                "RESULT rate=%.0f sent_rps=%.0f done_rps=%.0f requests=%d errors=%d unanswered=%d p50=%.3f p99=%.3f p999=%.3f max=%.3f"
                        + " send_lag_p50=%.3f send_lag_p99=%.3f send_lag_max=%.3f gen_cpu=%.2f primed_rps=%d target_cpu=%.2f",
                outcome.intendedRate(), outcome.sentRate(), outcome.doneRate(), outcome.sent(), outcome.errors(), outcome.unanswered(),
                ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)),
                ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()),
                ms(outcome.sendLag().getValueAtPercentile(50)), ms(outcome.sendLag().getValueAtPercentile(99)), ms(outcome.sendLag().getMaxValue()), generatorCpu, primedRate[0],
                targetCpuShare[0]));
        if (outcome.generatorFellBehind(settings.maxSendLagMillis())) {
            System.err.printf(Locale.ROOT, "openloop: GENERATOR FELL BEHIND: p99 send lag %.3f ms > %.3f ms allowed;"
                    + " these latencies are the generator's, not the target's (lower --rate or give it a core)%n",
                    ms(outcome.sendLag().getValueAtPercentile(99)), settings.maxSendLagMillis());
            return 2;
        }
        return 0;
    }

    /** Closed-loop priming, or none ({@code --prime 0}): then the schedule's warm-up is the only one. */
    private static io.vertx.core.Future<Long> primed(Vertx vertx, io.vertx.core.http.HttpClient http,
                                                     io.vertx.core.http.RequestOptions get, Settings settings) {
        if (settings.primeSeconds() == 0) return io.vertx.core.Future.succeededFuture(0L);
        return ConstantRate.prime(vertx, http, get, settings.connections(), settings.primeSeconds(), MAX_PRIME_SECONDS);
    }

    /**
     * Starts reading the target's CPU at the first measured request's intended send; {@code end} reads
     * it again when the run's outcome is in (the last measured answer, or the drain deadline), so the
     * share covers the measured window and nothing of priming or warm-up.
     */
    private static void startTargetCpu(Vertx vertx, TargetCpu cpu, Schedule schedule, double[] startedAt) {
        long from = schedule.intendedNanos(schedule.warmupCount());
        vertx.setTimer(Math.max(1, (from - System.nanoTime()) / 1_000_000), start -> {
            startedAt[0] = cpu.seconds();
            startedAt[1] = System.nanoTime();
        });
    }

    /** CPU time / wall time since {@link #startTargetCpu} read it; -1 when it never did (a run shorter than its warm-up). */
    private static double targetCpuShare(TargetCpu cpu, double[] startedAt) {
        if (startedAt[1] == 0) return -1;
        return (cpu.seconds() - startedAt[0]) / ((System.nanoTime() - startedAt[1]) / 1e9);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
