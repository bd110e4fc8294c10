package dev.strangler.core.catalog;

import dev.strangler.core.routing.RequestFacts;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.routing.RouteTable;
import dev.strangler.core.stage.Stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How far the migration has come, the number a team reports every week: endpoints, requests and
 * bytes (request + response) by the stage of the route that claims each endpoint now, plus the
 * endpoints no route claims yet.
 *
 * <p>Every share is of the totals over all endpoints given, so the shares of one measure sum to 1
 * over the buckets (or are all 0 when the total is 0, e.g. requests when only declared endpoints exist).
 *
 * <p>Junk is kept out: a learned (not declared) endpoint whose every answer said "no such thing"
 * ({@link EndpointSummary#onlyNotFoundLike()}: scanners, invalid ids, typos) is no part of the API
 * to migrate. It is counted in {@link #junk()} (with a few examples), not in any bucket, so it moves
 * neither the shares nor the pilot ranking.
 *
 * @param byBucket  one entry per bucket, in bucket order, zero entries included
 * @param unclaimed endpoints no route claims, busiest first (junk excluded)
 * @param junk      the endpoints kept out, counted
 */
public record Progress(Map<Bucket, Share> byBucket, List<EndpointSummary> unclaimed, Junk junk) {

    /**
     * Endpoints that only ever answered 4xx (other than 401, 403, 429) and no OpenAPI document declares.
     *
     * @param examples at most {@value #MAX_EXAMPLES} of them, busiest first
     */
    public record Junk(long endpoints, long requests, List<EndpointKey> examples) {
        public static final int MAX_EXAMPLES = 10;
        public static final Junk NONE = new Junk(0, 0, List.of());

        public Junk {
            examples = List.copyOf(examples);
        }

        /** The junk among a catalog's endpoints. */
        public static Junk of(List<EndpointSummary> endpoints) {
            List<EndpointSummary> junk = endpoints.stream().filter(Junk::isJunk)
                    .sorted((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count()) : a.key().compareTo(b.key()))
                    .toList();
            return new Junk(junk.size(), junk.stream().mapToLong(EndpointSummary::count).sum(),
                    junk.stream().limit(MAX_EXAMPLES).map(EndpointSummary::key).toList());
        }

        public static boolean isJunk(EndpointSummary e) {
            return !e.declared() && e.onlyNotFoundLike();
        }
    }

    public Progress(Map<Bucket, Share> byBucket, List<EndpointSummary> unclaimed) {
        this(byBucket, unclaimed, Junk.NONE);
    }

    /** Where an endpoint stands: no route claims it, or the stage of the route that does. */
    public enum Bucket {
        UNCLAIMED, MONOLITH, SHADOW, CANARY, LIVE, RETIRED;

        static Bucket of(Stage stage) {
            return switch (stage) {
                case MONOLITH -> MONOLITH;
                case SHADOW -> SHADOW;
                case CANARY -> CANARY;
                case LIVE -> LIVE;
                case RETIRED -> RETIRED;
            };
        }
    }

    /** The route claiming an endpoint now, and its stage. */
    public record RouteInfo(String route, Stage stage) {
        public RouteInfo {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(stage, "stage");
        }
    }

    /** Counts in one bucket and their shares (0..1) of the totals. */
    public record Share(long endpoints, long requests, long bytes,
                        double endpointShare, double requestShare, double byteShare) {
        static final Share NONE = new Share(0, 0, 0, 0, 0, 0);
    }

    public Progress {
        byBucket = Collections.unmodifiableMap(new EnumMap<>(byBucket));
        unclaimed = List.copyOf(unclaimed);
        Objects.requireNonNull(junk, "junk");
    }

    /** Requests over every bucket: the base of the traffic shares (junk not included). */
    public long totalRequests() {
        long total = 0;
        for (Share s : byBucket.values()) total += s.requests();
        return total;
    }

    /** Sorts the endpoints into buckets by the route that claims each now. */
    public static Progress of(List<EndpointSummary> endpoints, Function<EndpointKey, Optional<RouteInfo>> routeOf) {
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(routeOf, "routeOf");
        long[][] sums = new long[Bucket.values().length][3];
        long[] totals = new long[3];
        List<EndpointSummary> unclaimed = new ArrayList<>();
        for (EndpointSummary e : endpoints) {
            if (Junk.isJunk(e)) continue;
            Bucket bucket = routeOf.apply(e.key()).map(r -> Bucket.of(r.stage())).orElse(Bucket.UNCLAIMED);
            if (bucket == Bucket.UNCLAIMED) unclaimed.add(e);
            long[] row = sums[bucket.ordinal()];
            long bytes = e.requestBytes() + e.responseBytes();
            row[0]++;
            row[1] += e.count();
            row[2] += bytes;
            totals[0]++;
            totals[1] += e.count();
            totals[2] += bytes;
        }
        Map<Bucket, Share> byBucket = new EnumMap<>(Bucket.class);
        for (Bucket b : Bucket.values()) {
            long[] row = sums[b.ordinal()];
            byBucket.put(b, new Share(row[0], row[1], row[2],
                    share(row[0], totals[0]), share(row[1], totals[1]), share(row[2], totals[2])));
        }
        unclaimed.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count()) : a.key().compareTo(b.key()));
        return new Progress(byBucket, unclaimed, Junk.of(endpoints));
    }

    private static double share(long part, long total) {
        return total == 0 ? 0 : (double) part / total;
    }

    public Share share(Bucket bucket) {
        return byBucket.getOrDefault(bucket, Share.NONE);
    }

    /** Live and retired together: the endpoints the services answer for everyone. */
    public Share migrated() {
        Share live = share(Bucket.LIVE);
        Share retired = share(Bucket.RETIRED);
        return new Share(live.endpoints() + retired.endpoints(), live.requests() + retired.requests(),
                live.bytes() + retired.bytes(), live.endpointShare() + retired.endpointShare(),
                live.requestShare() + retired.requestShare(), live.byteShare() + retired.byteShare());
    }

    /**
     * Which route claims each endpoint, from the routes in force now: a template's {@code {x}}
     * segment stands for any value, so a route's {@code {param}} or {@code **} accepts it while a
     * literal of the route does not ({@code /users/{id}} is not claimed by {@code /users/me}).
     * Host and header conditions are ignored: the catalog does not tell hosts or headers apart,
     * so a route that claims an endpoint for some hosts or headers counts as claiming it.
     */
    public static Function<EndpointKey, Optional<RouteInfo>> routesOf(List<Route> routes) {
        List<Route> pathsOnly = new ArrayList<>(routes.size());
        for (Route r : routes) {
            RouteMatch m = r.match();
            pathsOnly.add(new Route(r.name(), new RouteMatch(m.methods(), m.path(), Optional.empty(), Map.of()), r.service(),
                    r.stage(), r.percent(), r.sticky(), r.fallback(), r.rewrite(), r.requestHeaders(), r.hostHeader(),
                    r.shadow(), r.plan()));
        }
        RouteTable table = RouteTable.of(pathsOnly);
        return key -> table.match(RequestFacts.Of.get(valueFor(key.template())).withMethod(key.method()))
                .map(r -> new RouteInfo(r.name(), r.stage()));
    }

    /** A request path standing for the template: each parameter becomes a value no route literal can equal. */
    private static String valueFor(String template) {
        StringBuilder b = new StringBuilder();
        for (String s : TemplatePath.segments(template)) b.append('/').append(SegmentShape.isParam(s) ? ANY_VALUE : s);
        return b.isEmpty() ? "/" : b.toString();
    }

    /** Not a valid path segment on the wire (a control character), so never a route literal. */
    private static final String ANY_VALUE = "\u0000";
}
