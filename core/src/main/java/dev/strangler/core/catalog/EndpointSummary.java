package dev.strangler.core.catalog;

import dev.strangler.core.stage.Stage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the catalog knows about one endpoint: how much it is used, how it answers, how fast, and who
 * served it last. Immutable; {@link #plus} adds two summaries of the same endpoint (two gateways,
 * or a stored summary and what came since).
 *
 * @param statusCodes   requests by status code (0 = the client left before an answer)
 * @param requestBytes  request body bytes, summed
 * @param responseBytes response body bytes, summed
 * @param firstSeen     first request; empty for an endpoint only declared (OpenAPI) and never called
 * @param route         the route that served the endpoint's last request; empty when none claimed it
 * @param stage         that route's stage then
 * @param declared      listed in an imported OpenAPI document of the monolith
 * @param parameters    query parameter names and path parameter kinds seen (for the OpenAPI export)
 */
public record EndpointSummary(EndpointKey key, long count, Map<Integer, Long> statusCodes, LatencySketch latency,
                              long requestBytes, long responseBytes, Optional<Instant> firstSeen,
                              Optional<Instant> lastSeen, Optional<String> route, Optional<Stage> stage,
                              boolean declared, ObservedParameters parameters) {
    public EndpointSummary(EndpointKey key, long count, Map<Integer, Long> statusCodes, LatencySketch latency,
                           long requestBytes, long responseBytes, Optional<Instant> firstSeen,
                           Optional<Instant> lastSeen, Optional<String> route, Optional<Stage> stage, boolean declared) {
        this(key, count, statusCodes, latency, requestBytes, responseBytes, firstSeen, lastSeen, route, stage, declared,
                ObservedParameters.NONE);
    }

    public EndpointSummary {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(key, "key");
        statusCodes = Map.copyOf(statusCodes);
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(stage, "stage");
        if (count < 0 || requestBytes < 0 || responseBytes < 0)
            throw new IllegalArgumentException(key + ": negative count or bytes");
    }

    /** An endpoint declared in an OpenAPI document that nobody has called (yet). */
    public static EndpointSummary declaredOnly(EndpointKey key) {
        return new EndpointSummary(key, 0, Map.of(), LatencySketch.empty(), 0, 0, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), true);
    }

    /** Requests answered with a status of class {@code hundreds} (2 for 2xx, 5 for 5xx). */
    public long statusClass(int hundreds) {
        long n = 0;
        for (Map.Entry<Integer, Long> e : statusCodes.entrySet()) if (e.getKey() / 100 == hundreds) n += e.getValue();
        return n;
    }

    /** Share of requests answered 5xx; 0 for an endpoint never called. */
    public double errorRate() {
        return count == 0 ? 0 : (double) statusClass(5) / count;
    }

    /** The two summaries of one endpoint as one: counts and sketches added, the later "last seen" wins. */
    public EndpointSummary plus(EndpointSummary other) {
        if (!key.equals(other.key)) throw new IllegalArgumentException("cannot add " + other.key + " to " + key);
        Map<Integer, Long> codes = new TreeMap<>(statusCodes);
        other.statusCodes.forEach((code, n) -> codes.merge(code, n, Long::sum));
        boolean otherIsLater = other.lastSeen.isPresent()
                && (lastSeen.isEmpty() || other.lastSeen.get().isAfter(lastSeen.get()));
        return new EndpointSummary(key, count + other.count, codes, latency.plus(other.latency),
                requestBytes + other.requestBytes, responseBytes + other.responseBytes,
                earliest(firstSeen, other.firstSeen), otherIsLater ? other.lastSeen : lastSeen,
                otherIsLater ? other.route : route.or(() -> other.route),
                otherIsLater ? other.stage : stage.or(() -> other.stage),
                declared || other.declared, parameters.plus(other.parameters));
    }

    /** This summary under another key of the same shape or with more parameters (a merge of templates). */
    public EndpointSummary movedTo(EndpointKey to) {
        return new EndpointSummary(to, count, statusCodes, latency, requestBytes, responseBytes, firstSeen, lastSeen, route,
                stage, declared, parameters.movedTo(key.template(), to.template()));
    }

    /**
     * Whether this is an endpoint the API has: declared, or answered with something other than
     * "not a thing" ({@link #onlyNotFoundLike}). The others are junk paths, whose templates name nothing.
     */
    public boolean isKnownEndpoint() {
        return declared || !onlyNotFoundLike();
    }

    /**
     * Whether every answer said the path is not a thing: only 4xx, none of them 401, 403 or 429
     * (those say the endpoint exists). False for an endpoint never answered.
     */
    public boolean onlyNotFoundLike() {
        long notFound = 0;
        for (Map.Entry<Integer, Long> e : statusCodes.entrySet()) {
            int code = e.getKey();
            if (code == 0) continue; // the client left: says nothing
            if (code / 100 != 4 || code == 401 || code == 403 || code == 429) return false;
            notFound += e.getValue();
        }
        return notFound > 0;
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        return a.get().isBefore(b.get()) ? a : b;
    }
}
