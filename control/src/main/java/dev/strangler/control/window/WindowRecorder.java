package dev.strangler.control.window;

import dev.strangler.core.plan.SideSample;

import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.store.MetricWindow;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what each route's two sides did since the last {@link #cut}: requests, errors (5xx, which
 * includes Strangler's own 502/504 for a backend that failed) and a uniform sample of latencies per
 * side, plus shadow comparisons. This is what a gateway contributes to the fleet's evidence; the
 * controller sums every gateway's windows.
 *
 * <p>A request the service failed without an answer ({@link Outcome#serviceFailedHard()}: refused,
 * connect timeout, reset, response timeout) counts against the <em>service</em> as a request, an
 * error and a hard failure, also when the monolith then answered the user by fallback; it adds no
 * latency value (the time is the failure's, not an answer's), and a fallback is counted apart rather
 * than as a monolith request, so a dead service in {@code live} shows as dead.
 *
 * <p>Called on every request from every event loop, so it only touches striped counters and a
 * reservoir slot: no locks, no allocation once a route has been seen. {@link #cut} swaps in fresh
 * counters; an event loop that picked up the old ones a moment before may still add to them, and
 * those few requests are lost to the evidence (never to the user).
 */
public final class WindowRecorder implements ExchangeObserver {
    /** Latencies kept per side and window: enough for the rank test, bounded whatever the traffic. */
    public static final int SAMPLE_LIMIT = MetricWindow.SAMPLE_LIMIT;

    private final String gateway;
    private final Clock clock;
    private final AtomicReference<Window> current;

    public WindowRecorder(String gateway, Clock clock) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.current = new AtomicReference<>(new Window(clock.instant()));
    }

    public String gateway() {
        return gateway;
    }

    @Override
    public Set<Extra> reads() {
        return Set.of();
    }

    @Override
    public void onComplete(Outcome outcome) {
        if (outcome.route().equals(Outcome.UNROUTED) || outcome.status() == 0) return; // the client left: no verdict
        RouteCounters route = current.get().route(outcome.route());
        if (outcome.serviceFailedHard()) {
            route.service.recordHardFailure();
            if (outcome.fellBack()) route.fallbacks.increment();
            return;
        }
        Side side = outcome.backend().equals("monolith") ? route.monolith : route.service;
        side.record(outcome.status() >= 500, outcome.durationNanos() / 1e6);
    }

    /** A shadow comparison of the route was counted, as a match or not (confirmed noise counts as a match). */
    public void shadowCounted(String route, boolean matched) {
        RouteCounters counters = current.get().route(route);
        counters.compared.increment();
        if (matched) counters.matched.increment();
    }

    /** Ends the current window and starts a new one; returns the ended window's non-empty routes. */
    public List<MetricWindow> cut() {
        Instant now = clock.instant();
        return windows(current.getAndSet(new Window(now)), now);
    }

    /**
     * The current window so far, left running: what this gateway saw since its last write to the
     * store, so the API's live numbers do not lag by up to an interval.
     */
    public List<MetricWindow> peek() {
        return windows(current.get(), clock.instant());
    }

    private List<MetricWindow> windows(Window ended, Instant now) {
        if (!now.isAfter(ended.start)) now = ended.start.plusNanos(1000); // a window must end after it starts
        List<MetricWindow> out = new ArrayList<>();
        for (Map.Entry<String, RouteCounters> e : ended.routes.entrySet()) {
            RouteCounters c = e.getValue();
            SideSample monolith = c.monolith.snapshot();
            SideSample service = c.service.snapshot();
            long compared = c.compared.sum();
            if (monolith.requests() == 0 && service.requests() == 0 && compared == 0) continue;
            out.add(new MetricWindow(gateway, e.getKey(), ended.start, now, monolith, service, compared,
                    Math.min(compared, c.matched.sum()), // a match counted between the two reads
                    c.fallbacks.sum()));
        }
        return out;
    }

    private static final class Window {
        final Instant start;
        final ConcurrentHashMap<String, RouteCounters> routes = new ConcurrentHashMap<>();

        Window(Instant start) {
            this.start = start;
        }

        RouteCounters route(String name) {
            RouteCounters c = routes.get(name); // no lambda, no allocation on the common path
            return c != null ? c : routes.computeIfAbsent(name, n -> new RouteCounters());
        }
    }

    private static final class RouteCounters {
        final Side monolith = new Side();
        final Side service = new Side();
        final LongAdder compared = new LongAdder();
        final LongAdder matched = new LongAdder();
        final LongAdder fallbacks = new LongAdder();
    }

    /** One side's counters with a reservoir sample (Vitter's algorithm R) of its latencies. */
    private static final class Side {
        final LongAdder errors = new LongAdder();
        final LongAdder hardFailures = new LongAdder();
        final AtomicLong requests = new AtomicLong();
        /** Latency values offered to the reservoir: the answered requests. */
        final AtomicLong answered = new AtomicLong();
        /** NaN marks a slot not written yet (or not yet visible to the reader): never a fake 0 ms. */
        final double[] reservoir = newReservoir();

        private static double[] newReservoir() {
            double[] r = new double[SAMPLE_LIMIT];
            java.util.Arrays.fill(r, Double.NaN);
            return r;
        }

        /** A request that got no answer: counted, never sampled for latency. */
        void recordHardFailure() {
            requests.incrementAndGet();
            errors.increment();
            hardFailures.increment();
        }

        void record(boolean error, double millis) {
            requests.incrementAndGet();
            if (error) errors.increment();
            long n = answered.getAndIncrement();
            if (n < SAMPLE_LIMIT) {
                reservoir[(int) n] = millis;
            } else {
                long slot = ThreadLocalRandom.current().nextLong(n + 1);
                if (slot < SAMPLE_LIMIT) reservoir[(int) slot] = millis;
            }
        }

        SideSample snapshot() {
            long n = requests.get();
            int filled = (int) Math.min(answered.get(), SAMPLE_LIMIT);
            SideSample.Builder sample = new SideSample.Builder(filled);
            for (int i = 0; i < filled; i++) {
                double v = reservoir[i]; // read once: a request may be writing the slot
                if (!Double.isNaN(v)) sample.add(v);
            }
            long failed = Math.min(errors.sum(), n); // counters read a moment apart: keep them consistent
            return sample.build(n, failed, Math.min(hardFailures.sum(), failed));
        }
    }
}
