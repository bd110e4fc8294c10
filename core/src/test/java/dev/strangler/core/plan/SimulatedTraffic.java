package dev.strangler.core.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded traffic for judge tests: windows of Poisson request counts, binomial errors and log-normal
 * latencies per side, appended one interval at a time as the controller would see them.
 */
final class SimulatedTraffic {
    /** How one backend behaves. */
    record Behaviour(double errorRate, double hardFailureShare, double medianMillis, double sigma) {
        static Behaviour healthy(double medianMillis) {
            return new Behaviour(0.002, 0, medianMillis, 0.5);
        }

        static Behaviour dead() {
            return new Behaviour(1, 1, 1, 0.5);
        }

        Behaviour withErrorRate(double rate) {
            return new Behaviour(rate, hardFailureShare, medianMillis, sigma);
        }

        Behaviour slower(double factor) {
            return new Behaviour(errorRate, hardFailureShare, medianMillis * factor, sigma);
        }
    }

    private final Random random;
    private final int sampleLimit;

    SimulatedTraffic(long seed, int sampleLimit) {
        this.random = new Random(seed);
        this.sampleLimit = sampleLimit;
    }

    /** One window: {@code requestsPerSecond} split by {@code percent} to the service. */
    StepWindow window(Duration since, Duration length, double requestsPerSecond, double percent, Behaviour monolith,
                      Behaviour service) {
        double seconds = length.toMillis() / 1000.0;
        long s = poisson(requestsPerSecond * seconds * percent / 100);
        long m = poisson(requestsPerSecond * seconds * (100 - percent) / 100);
        return new StepWindow(since, since.plus(length), side(m, monolith), side(s, service));
    }

    private SideSample side(long requests, Behaviour b) {
        long errors = binomial(requests, b.errorRate());
        long hard = binomial(errors, b.hardFailureShare());
        int answered = (int) Math.min(sampleLimit, requests - hard);
        double[] latencies = new double[answered];
        double mu = Math.log(b.medianMillis());
        for (int i = 0; i < answered; i++) latencies[i] = Math.exp(mu + b.sigma() * random.nextGaussian());
        return new SideSample(requests, errors, hard, latencies);
    }

    long poisson(double mean) {
        if (mean <= 0) return 0;
        if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }

    long binomial(long n, double p) {
        if (p <= 0 || n == 0) return 0;
        if (p >= 1) return n;
        double mean = n * p;
        if (n > 200 && mean > 20 && n * (1 - p) > 20) {
            return Math.max(0, Math.min(n, Math.round(mean + Math.sqrt(mean * (1 - p)) * random.nextGaussian())));
        }
        if (n > 200) return Math.min(n, poisson(mean));
        long k = 0;
        for (long i = 0; i < n; i++) if (random.nextDouble() < p) k++;
        return k;
    }

    /** The evidence of a step made of these windows, as {@code Evidence.of} sums it. */
    static StepEvidence evidence(Duration atStep, List<StepWindow> windows) {
        SideSample m = SideSample.NONE;
        SideSample s = SideSample.NONE;
        for (StepWindow w : windows) {
            m = new SideSample(m.requests() + w.monolith().requests(), m.errors() + w.monolith().errors(),
                    m.hardFailures() + w.monolith().hardFailures(), new double[0]);
            s = new SideSample(s.requests() + w.service().requests(), s.errors() + w.service().errors(),
                    s.hardFailures() + w.service().hardFailures(), new double[0]);
        }
        return new StepEvidence(atStep, m, s, 0, 0, 0, new ArrayList<>(windows));
    }
}
