package dev.strangler.core.shadow;

import dev.strangler.core.diff.DiffResult;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the shadow stage learns from comparing the monolith's answers with the service's, per route:
 * how many comparisons matched, which paths differ and how, whether a difference is noise, a few
 * redacted samples, and how many requests could not be compared and why.
 *
 * <p>Concurrency: called from several event loops at once. Each route has its own aggregate; a
 * comparison takes that route's lock for the time it takes to count its differences (no parsing and no
 * redaction: paths are normalized by a scan, and only a new path allocates counters), so routes never contend with each other and
 * drops take no lock at all. Redaction of example values happens in {@link #snapshot()}, off the
 * request path.
 *
 * <p>Memory per route is bounded: at most {@link ShadowOptions#maxPathsPerRoute()} paths (array
 * indexes collapsed to {@code [*]}; later paths are counted together under {@value #OTHER_PATHS}), at
 * most {@link ShadowOptions#maxSamplesPerRoute()} samples (the most recent mismatches and
 * {@link ShadowOptions#maxMatchSamplesPerRoute()} recent matches), each holding at most
 * {@value RouteAggregate#MAX_SAMPLE_DIFFERENCES} differences. Routes are the configured route names.
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
    private final ConcurrentHashMap<String, RouteAggregate> routes = new ConcurrentHashMap<>();

    public ShadowResults(ShadowOptions options, Redactor redactor) {
        this.options = Objects.requireNonNull(options, "options");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    /**
     * Counts a comparison of the monolith's response with the service's, and offers its sample.
     *
     * @return whether it matches as judged now (its only differences, if any, are confirmed noise); the
     *         summary judges it again when read, with what the noise filter knows then
     */
    public boolean recordComparison(String route, DiffResult result, SamplePair sample) {
        Objects.requireNonNull(sample, "sample");
        return aggregate(route).recordComparison(Objects.requireNonNull(result, "result"), Optional.of(sample));
    }

    /** Counts a comparison without keeping a sample of it; returns whether it counted as a match. */
    public boolean recordComparison(String route, DiffResult result) {
        return aggregate(route).recordComparison(Objects.requireNonNull(result, "result"), Optional.empty());
    }

    /** Feeds the route's noise filter with the comparison of two answers of the monolith to one request. */
    public void recordMonolithPair(String route, DiffResult monolithVersusMonolith) {
        aggregate(route).noise().recordMonolithPair(monolithVersusMonolith);
    }

    /** Counts a request that should have been compared and was not. */
    public void recordDropped(String route, DropReason reason) {
        aggregate(route).recordDropped(Objects.requireNonNull(reason, "reason"));
    }

    /** The noise filter of a route, created when first asked for. */
    public NoiseFilter noiseFilter(String route) {
        return aggregate(route).noise();
    }

    /** The summaries of every route seen so far, by route name. */
    public List<RouteShadowSummary> snapshot() {
        return routes.values().stream()
                .map(aggregate -> aggregate.snapshot(redactor))
                .sorted(Comparator.comparing(RouteShadowSummary::route))
                .toList();
    }

    /** The summary of one route, when anything was recorded for it. */
    public Optional<RouteShadowSummary> snapshot(String route) {
        Objects.requireNonNull(route, "route");
        return Optional.ofNullable(routes.get(route)).map(aggregate -> aggregate.snapshot(redactor));
    }

    private RouteAggregate aggregate(String route) {
        Objects.requireNonNull(route, "route");
        RouteAggregate aggregate = routes.get(route);
        return aggregate != null ? aggregate : routes.computeIfAbsent(route, name -> new RouteAggregate(name, options));
    }
}
