package dev.strangler.bench.sim;

import dev.strangler.core.plan.SideSample;
import dev.strangler.store.MetricWindow;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Simulated traffic on one route, one metric window at a time, as a gateway's {@code WindowRecorder}
 * would report it: Poisson request counts, binomial errors and log-normal latencies with a heavy
 * tail, a sample of at most {@link MetricWindow#SAMPLE_LIMIT} latencies per side.
 *
 * <p>Realistic noise, on purpose: the route's load swings 10:1 over a 30-minute cycle (starting at a
 * random phase; a scenario may hold it steady) and both sides' latencies rise with it by up to half; each side's window has its own
 * jitter (GC, noisy neighbours: ×exp(N(0, 0.05))); 1 % of requests take 5× longer; the service
 * starts cold (×(1 + 2·e^(−t/10 s)) from the start of the ramp). A monolith and a healthy service
 * are otherwise the same distribution: 20 ms median, σ = 0.6 on the log scale, 0.2 % 5xx. A dead
 * service refuses every request the gateway sends it, and the gateway's outlier ejection
 * ({@link OutlierEjection}) soon stops sending.
 */
final class Traffic {
    static final double MEDIAN_MILLIS = 20;
    static final double SIGMA = 0.6;
    static final double BASE_ERROR_RATE = 0.002;
    static final double TAIL_SHARE = 0.01;
    static final double TAIL_FACTOR = 5;
    static final double WINDOW_JITTER = 0.05;
    static final double LOAD_SWING = 10;
    static final Duration LOAD_PERIOD = Duration.ofMinutes(30);
    static final Duration COLD_START = Duration.ofSeconds(10);
    /** Share of requests with a safe method (GET, HEAD): these fall back to the monolith when the service cannot be reached. */
    static final double SAFE_SHARE = 0.8;

    /** How the service differs from the monolith. */
    record Service(double extraErrorRate, double latencyFactor, boolean coldStart, Duration deadFrom) {
        static final Duration NEVER = Duration.ofDays(365);

        static Service same() {
            return new Service(0, 1, true, NEVER);
        }

        boolean deadAt(Duration t) {
            return t.compareTo(deadFrom) >= 0;
        }
    }

    private final SplittableRandom random;
    private final double meanRequestsPerSecond;
    private final Service service;
    private final double swing;
    private final double phase;
    private final OutlierEjection ejection;

    /**
     * @param swing     the ratio of the busiest to the quietest moment (1: steady load)
     * @param ejection  the gateway's outlier ejection of the service, its state carried from window to window
     */
    Traffic(long seed, double meanRequestsPerSecond, Service service, double swing, OutlierEjection ejection) {
        this.random = new SplittableRandom(seed);
        this.meanRequestsPerSecond = meanRequestsPerSecond;
        this.service = service;
        this.swing = swing;
        this.phase = random.nextDouble() * 2 * Math.PI;
        this.ejection = ejection;
    }

    /** Whether the service is down at {@code t}: what a probe connect to it would find. */
    boolean serviceDeadAt(Duration t) {
        return service.deadAt(t);
    }

    /** What the route did in {@code [from, from + length)} with {@code percent} of users on the service. */
    Window window(Duration from, Duration length, double percent) {
        double seconds = length.toNanos() / 1e9;
        double mid = (from.toNanos() + length.toNanos() / 2.0) / 1e9;
        double load = load(mid); // 1 .. swing
        double rate = meanRequestsPerSecond * load / ((1 + swing) / 2);
        double median = MEDIAN_MILLIS * (1 + 0.5 * (load - 1) / (LOAD_SWING - 1));
        long sRequests = poisson(rate * seconds * percent / 100);
        long mRequests = poisson(rate * seconds * (100 - percent) / 100);

        SideSample monolith = answered(mRequests, BASE_ERROR_RATE, median);
        SideSample serviceSide;
        long fallbacks = 0;
        long userVisible;
        long sentFailures;
        if (service.deadAt(from)) { // every request sent is refused; an ejected loop sends none
            Dead dead = dead(from, length, sRequests);
            fallbacks = dead.fallbacks;
            serviceSide = new SideSample(sRequests, sRequests, sRequests, new double[0]);
            userVisible = sRequests - fallbacks;
            sentFailures = dead.sent;
        } else {
            double cold = service.coldStart() ? 1 + 2 * Math.exp(-mid / (COLD_START.toNanos() / 1e9)) : 1;
            serviceSide = answered(sRequests, BASE_ERROR_RATE + service.extraErrorRate(),
                    median * service.latencyFactor() * cold);
            userVisible = serviceSide.errors();
            sentFailures = serviceSide.errors();
        }
        Instant start = Instant.EPOCH.plus(from);
        MetricWindow w = new MetricWindow("sim", "route", start, start.plus(length), monolith, serviceSide, 0, 0, fallbacks);
        return new Window(w, userVisible, sentFailures);
    }

    /**
     * A window with what the service's users saw, 5xx answers and failures no fallback hid (a refused
     * or ejected write: 502 or 503), and the failed requests actually sent to the service (ejected
     * ones were not; the windows count both as service failures, as the gateway does).
     */
    record Window(MetricWindow metrics, long serviceUserVisibleFailures, long serviceSentFailures) {
    }

    private record Dead(long sent, long fallbacks) {
    }

    /**
     * A dead service's requests one by one in time order, each on a random event loop: sent and
     * refused unless its loop has ejected the service; reads fall back to the monolith either way.
     */
    private Dead dead(Duration from, Duration length, long requests) {
        long[] at = new long[(int) requests];
        for (int i = 0; i < at.length; i++) at[i] = from.toNanos() + (long) (random.nextDouble() * length.toNanos());
        java.util.Arrays.sort(at);
        long sent = 0, fallbacks = 0;
        for (long nanos : at) {
            int loop = random.nextInt(ejection.eventLoops());
            if (ejection.sends(loop, nanos)) {
                sent++;
                ejection.hardFailure(loop, nanos);
            }
            if (random.nextDouble() < SAFE_SHARE) fallbacks++;
        }
        return new Dead(sent, fallbacks);
    }

    private double load(double seconds) {
        double cycle = 2 * Math.PI * seconds / (LOAD_PERIOD.toNanos() / 1e9) + phase;
        return 1 + (swing - 1) * (1 - Math.cos(cycle)) / 2;
    }

    private SideSample answered(long requests, double errorRate, double median) {
        long errors = binomial(requests, Math.min(1, errorRate));
        int sampled = (int) Math.min(requests, MetricWindow.SAMPLE_LIMIT);
        double mu = Math.log(median) + WINDOW_JITTER * random.nextGaussian();
        double[] latencies = new double[sampled];
        for (int i = 0; i < sampled; i++) {
            double v = Math.exp(mu + SIGMA * random.nextGaussian());
            latencies[i] = random.nextDouble() < TAIL_SHARE ? v * TAIL_FACTOR : v;
        }
        return new SideSample(requests, errors, 0, latencies);
    }

    private long poisson(double mean) {
        if (mean <= 0) return 0;
        if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }

    private long binomial(long n, double p) {
        if (n == 0 || p <= 0) return 0;
        if (p >= 1) return n;
        double mean = n * p;
        if (mean > 30 && n * (1 - p) > 30) {
            return Math.max(0, Math.min(n, Math.round(mean + Math.sqrt(mean * (1 - p)) * random.nextGaussian())));
        }
        if (n > 100 && p < 0.1) return Math.min(n, poisson(mean));
        long k = 0;
        for (long i = 0; i < n; i++) if (random.nextDouble() < p) k++;
        return k;
    }
}
