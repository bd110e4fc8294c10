package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffResult;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the shadow stage learns from comparing the monolith's answers with the service's, per route and
 * service ({@link ShadowKey}): how many comparisons matched, which paths differ and how, whether a
 * difference is noise, a few redacted samples, and how many requests could not be compared and why.
 *
 * <p>Keys: results are kept per (route, service, service digest). When a reload points a route at
 * another service, or changes the service's URLs, comparisons go to a new key and start from zero; the
 * old key's results stay as they were (the control plane labels them and lets them age out). The noise
 * filter is per route: the monolith differing from itself does not depend on the service.
 *
 * <p>Concurrency: called from several event loops at once. Each key has its own aggregate; a
 * comparison takes that aggregate's lock for the time it takes to count its differences (no parsing and no
 * redaction: paths are normalized by a scan, and only a new path allocates counters), so routes never contend with each other and
 * drops take no lock at all. Redaction of example values and of the kept samples ({@link CapturedSample})
 * happens in {@link #snapshot()}, off the request path.
 *
 * <p>Memory per key is bounded: at most {@link ShadowOptions#maxPathsPerRoute()} paths (array
 * indexes collapsed to {@code [*]}; later paths are counted together under {@value #OTHER_PATHS}), at
 * most {@link ShadowOptions#maxSamplesPerRoute()} samples (the most recent mismatches and
 * {@link ShadowOptions#maxMatchSamplesPerRoute()} recent matches), each holding at most
 * {@value RouteAggregate#MAX_SAMPLE_DIFFERENCES} differences. Keys grow only with the configured
 * routes and the service changes a process lives through.
 *
 * <p>Noise: a comparison whose only differences are at paths that the route's {@link NoiseFilter} has
 * confirmed as noise (the monolith differs from itself there) counts as a match, judged when the
 * summary is taken (so the rate does not depend on the order of the traffic; see {@code RouteAggregate}). Probable noise (learned from the service comparisons alone) is only a label
 * on the path: those comparisons still count as mismatches, so nothing is hidden by a guess.
 */
public final class ShadowResults {
    /** The path under which differences beyond the per-route bound are counted. */
    public static final String OTHER_PATHS = "(other)";

    private final ShadowOptions options;
    private final Redactor redactor;
    private final ConcurrentHashMap<ShadowKey, RouteAggregate> aggregates = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NoiseFilter> noise = new ConcurrentHashMap<>();
    /** The key each route last recorded under: what {@link #snapshot(String)} shows. */
    private final ConcurrentHashMap<String, ShadowKey> latest = new ConcurrentHashMap<>();

    public ShadowResults(ShadowOptions options, Redactor redactor) {
        this.options = Objects.requireNonNull(options, "options");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    public ShadowOptions options() {
        return options;
    }

    /**
     * Counts a comparison of the monolith's response with the service's, and offers its sample.
     *
     * @return whether it matches as judged now (its only differences, if any, are confirmed noise); the
     *         summary judges it again when read, with what the noise filter knows then
     */
    public boolean recordComparison(ShadowKey key, DiffResult result, SamplePair sample) {
        return recordComparison(key, result, CapturedSample.redacted(sample));
    }

    /**
     * Counts a comparison and offers its sample, redacted only if it is still kept when a summary is
     * taken (see {@link CapturedSample}): what the request path calls.
     *
     * @return whether it matches as judged now, as {@link #recordComparison(ShadowKey, DiffResult, SamplePair)}
     */
    public boolean recordComparison(ShadowKey key, DiffResult result, CapturedSample sample) {
        Objects.requireNonNull(sample, "sample");
        return aggregate(key).recordComparison(Objects.requireNonNull(result, "result"), Optional.of(sample));
    }

    /** Counts a comparison without keeping a sample of it; returns whether it counted as a match. */
    public boolean recordComparison(ShadowKey key, DiffResult result) {
        return aggregate(key).recordComparison(Objects.requireNonNull(result, "result"), Optional.empty());
    }

    /** {@link #recordComparison(ShadowKey, DiffResult, SamplePair)} for a route whose service is not known. */
    public boolean recordComparison(String route, DiffResult result, SamplePair sample) {
        return recordComparison(ShadowKey.ofRoute(route), result, sample);
    }

    /** {@link #recordComparison(ShadowKey, DiffResult)} for a route whose service is not known. */
    public boolean recordComparison(String route, DiffResult result) {
        return recordComparison(ShadowKey.ofRoute(route), result);
    }

    /** Feeds the route's noise filter with the comparison of two answers of the monolith to one request. */
    public void recordMonolithPair(String route, DiffResult monolithVersusMonolith) {
        noiseFilter(route).recordMonolithPair(monolithVersusMonolith);
    }

    /** Counts a request that should have been compared and was not. */
    public void recordDropped(ShadowKey key, DropReason reason) {
        aggregate(key).recordDropped(Objects.requireNonNull(reason, "reason"));
    }

    /** {@link #recordDropped(ShadowKey, DropReason)} for a route whose service is not known. */
    public void recordDropped(String route, DropReason reason) {
        recordDropped(ShadowKey.ofRoute(route), reason);
    }

    /** The noise filter of a route, created when first asked for. */
    public NoiseFilter noiseFilter(String route) {
        Objects.requireNonNull(route, "route");
        NoiseFilter filter = noise.get(route);
        return filter != null ? filter : noise.computeIfAbsent(route, name -> new NoiseFilter(options));
    }

    /** Every key's summary, by route then service. */
    public List<ShadowResult> results() {
        return aggregates.entrySet().stream()
                .map(e -> new ShadowResult(e.getKey(), e.getValue().snapshot(redactor)))
                .sorted(Comparator.comparing((ShadowResult r) -> r.key().route())
                        .thenComparing(r -> r.key().service()).thenComparing(r -> r.key().serviceDigest()))
                .toList();
    }

    /** The summary of each route's latest key (the service it was last compared with), by route name. */
    public List<RouteShadowSummary> snapshot() {
        return latest.values().stream()
                .map(aggregates::get).filter(Objects::nonNull)
                .map(aggregate -> aggregate.snapshot(redactor))
                .sorted(Comparator.comparing(RouteShadowSummary::route))
                .toList();
    }

    /** The summary of a route's latest key, when anything was recorded for it. */
    public Optional<RouteShadowSummary> snapshot(String route) {
        Objects.requireNonNull(route, "route");
        return Optional.ofNullable(latest.get(route)).map(aggregates::get).map(aggregate -> aggregate.snapshot(redactor));
    }

    /** The summary of one key, when anything was recorded for it. */
    public Optional<RouteShadowSummary> snapshot(ShadowKey key) {
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(aggregates.get(key)).map(aggregate -> aggregate.snapshot(redactor));
    }

    /**
     * Forgets what was recorded under a key (its results aged out of the store). A comparison recorded
     * under it later starts from zero.
     */
    public void forget(ShadowKey key) {
        Objects.requireNonNull(key, "key");
        aggregates.remove(key);
        latest.remove(key.route(), key);
    }

    private RouteAggregate aggregate(ShadowKey key) {
        Objects.requireNonNull(key, "key");
        RouteAggregate aggregate = aggregates.get(key);
        if (aggregate == null)
            aggregate = aggregates.computeIfAbsent(key, k -> new RouteAggregate(k.route(), options, noiseFilter(k.route())));
        if (!key.equals(latest.get(key.route())))
            latest.put(key.route(), key);
        return aggregate;
    }
}
