package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.DropReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per route and backend: requests by status class, latency histogram and bytes, named
 * {@code strangler_proxy_*} with {@code route} and {@code backend} labels; and the backends'
 * failures by kind ({@code strangler_backend_failures_total}), counting those a fallback hid from
 * the user on the service that failed, not on the monolith that answered.
 *
 * <p>Meters are looked up once per (route, backend) pair and cached: the registry's own lookup
 * builds tag lists on every call, which is too slow for every request. The cache is keyed by the
 * route's name, then the backend's, so a request builds no key whatever pairs alternate.
 */
public final class ProxyMetrics implements ExchangeObserver {
    private final class Meters {
        final Counter[] byStatusClass = new Counter[6];
        final Timer latency;
        final DistributionSummary requestBytes;
        final DistributionSummary responseBytes;
        final Counter fallbacks;

        Meters(String route, String backend) {
            String[] classes = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
            for (int i = 0; i < classes.length; i++) {
                byStatusClass[i] = Counter.builder("strangler_proxy_requests")
                        .description("Requests proxied, by route, backend and status class (none: no status was sent)")
                        .tag("route", route).tag("backend", backend).tag("status", classes[i])
                        .register(registry);
            }
            latency = Timer.builder("strangler_proxy_duration")
                    .description("Time from request start to the end of the response")
                    .tag("route", route).tag("backend", backend)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry);
            requestBytes = DistributionSummary.builder("strangler_proxy_request_bytes").baseUnit("bytes")
                    .description("Request body bytes received from clients")
                    .tag("route", route).tag("backend", backend).register(registry);
            responseBytes = DistributionSummary.builder("strangler_proxy_response_bytes").baseUnit("bytes")
                    .description("Response body bytes sent to clients")
                    .tag("route", route).tag("backend", backend).register(registry);
            fallbacks = Counter.builder("strangler_proxy_fallbacks")
                    .description("Requests the service failed before answering that the monolith answered instead")
                    .tag("route", route).tag("backend", backend).register(registry);
        }
    }

    private record FailureKey(String route, String backend, Failure failure) {}

    private final MeterRegistry registry;
    /** By route, then backend: the names' hashes are cached in the strings, so a lookup allocates nothing. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Meters>> meters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<FailureKey, Counter> failures = new ConcurrentHashMap<>();

    /**
     * Per route, the comparison counters for a match [0] and a mismatch [1], and the drop counters by
     * {@link DropReason#ordinal()}, each registered when first needed (Micrometer hands back the same
     * counter if two loops race): a lookup per event, no key built.
     */
    private final ConcurrentHashMap<String, Counter[]> comparisonCounters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter[]> dropCounters = new ConcurrentHashMap<>();
    private static final int DROP_REASONS = DropReason.values().length;

    @Override
    public void onShadowCompared(ShadowComparison comparison) {
        int slot = comparison.result().matches() ? 0 : 1;
        counter(comparisonCounters, 2, comparison.route(), slot, "strangler_shadow_comparisons",
                "Shadow copies whose answer was compared with the monolith's, by result", "result", slot == 0 ? "match" : "mismatch")
                .increment();
    }

    @Override
    public void onShadowDropped(String route, DropReason reason) {
        counter(dropCounters, DROP_REASONS, route, reason.ordinal(), "strangler_shadow_dropped",
                "Shadow copies not compared, by reason (never an error for the user)", "reason", reason.label()).increment();
    }

    /** The route's counter in {@code slot} of {@code byRoute}, tagged {@code route} and {@code tag=value}; registered on first use. */
    private Counter counter(ConcurrentHashMap<String, Counter[]> byRoute, int slots, String route, int slot,
                            String name, String description, String tag, String value) {
        Counter[] counters = byRoute.get(route);
        if (counters == null) counters = byRoute.computeIfAbsent(route, r -> new Counter[slots]);
        Counter counter = counters[slot];
        if (counter == null) {
            counter = Counter.builder(name).description(description).tag("route", route).tag(tag, value).register(registry);
            counters[slot] = counter;
        }
        return counter;
    }

    /** The pair's meters, registered when first needed. */
    private Meters meters(String route, String backend) {
        ConcurrentHashMap<String, Meters> byBackend = meters.get(route); // no lambda, no allocation on the common path
        if (byBackend == null) byBackend = meters.computeIfAbsent(route, r -> new ConcurrentHashMap<>());
        Meters m = byBackend.get(backend);
        return m != null ? m : byBackend.computeIfAbsent(backend, b -> new Meters(route, b));
    }

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Set<Extra> reads() {
        return Set.of();
    }

    @Override
    public void onComplete(Outcome o) {
        Meters m = meters(o.route(), o.backend());
        int c = o.statusClass();
        m.byStatusClass[c >= 1 && c <= 5 ? c : 0].increment();
        m.latency.record(o.durationNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        m.requestBytes.record(o.bytesIn());
        m.responseBytes.record(o.bytesOut());
        if (o.fellBack()) m.fallbacks.increment();
        if (o.failure().isPresent() || o.fellBack()) countBackendFailure(o); // most requests: no lambda built to find nothing
    }

    private void countBackendFailure(Outcome o) {
        o.backendFailure().ifPresent(f -> failures.computeIfAbsent(new FailureKey(o.route(), f.backend(), f.failure()),
                k -> Counter.builder("strangler_backend_failures")
                        .description("Requests a backend failed without a usable answer, by kind; includes those the monolith then answered by fallback")
                        .tag("route", k.route()).tag("backend", k.backend()).tag("failure", k.failure().label())
                        .register(registry)).increment());
    }
}
