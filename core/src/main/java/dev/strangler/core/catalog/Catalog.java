package dev.strangler.core.catalog;

import dev.strangler.core.stage.Stage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The endpoint catalog being learnt: one running summary per {@link EndpointKey}, fed request by
 * request, read as immutable {@link EndpointSummary} snapshots.
 *
 * <h2>Templates</h2>
 * A request's template comes from the declared templates first (an OpenAPI import, see
 * {@link #declare}): a declared template wins over anything learnt. Otherwise the
 * {@link PathTemplater} decides. Because the templater learns, a position may turn into a
 * parameter after endpoints were already recorded under its literal values
 * ({@code /posts/a-slug}, {@code /posts/another}); {@link #compact()} re-templates every learnt
 * key and merges those that now coincide into one ({@code /posts/{postId}}). It runs from
 * {@link #snapshot()}, and before an endpoint would be refused for want of room.
 *
 * <h2>Bounded memory</h2>
 * At most {@code maxEndpoints} endpoints; requests for further endpoints are counted in
 * {@link #overflow()} and otherwise dropped. The templater is bounded by its own node cap, and
 * methods outside the registered HTTP methods are recorded as {@code OTHER}, so no input can grow
 * the catalog past its caps.
 *
 * <p>Not thread-safe: one thread owns an instance (in the gateway, each event loop records into its
 * own; their {@link #summaries()} are merged when the catalog is read).
 */
public final class Catalog {
    /** Default cap on endpoints kept. */
    public static final int DEFAULT_MAX_ENDPOINTS = 2_000;

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH");

    /**
     * The mutable side of one endpoint's summary. Recording allocates nothing once the endpoint
     * exists: status codes in two small parallel arrays (an endpoint answers with a handful of
     * codes), times kept as plain instants and wrapped only for a snapshot.
     */
    private static final class Running {
        long count;
        int[] codes = new int[4];
        long[] codeCounts = new long[4];
        int distinctCodes;
        final LatencySketch.Recorder latency = new LatencySketch.Recorder();
        long requestBytes;
        long responseBytes;
        Instant firstSeen;
        Instant lastSeen;
        Optional<String> route = Optional.empty();
        Optional<Stage> stage = Optional.empty();
        boolean declared;
        /**
         * Query names and their requests, at most {@link ObservedParameters#MAX_QUERY_NAMES}, in two
         * parallel arrays allocated at the first name: a known name is found by comparing it in
         * place in the raw path, so counting it copies no text and boxes no count.
         */
        String[] queryNames;
        long[] queryNameCounts;
        int distinctQueryNames;
        long otherQueryNames;
        /** Kinds of value seen per path parameter of the template, in order; allocated at the first parameter. */
        int[] pathKinds;
        ObservedParameters stored = ObservedParameters.NONE;

        /** As {@link EndpointSummary#onlyNotFoundLike()}, without building the summary. */
        boolean onlyNotFoundLike() {
            long notFound = 0;
            for (int i = 0; i < distinctCodes; i++) {
                int code = codes[i];
                if (code == 0) continue;
                if (code / 100 != 4 || code == 401 || code == 403 || code == 429) return false;
                notFound += codeCounts[i];
            }
            return notFound > 0;
        }

        void countQuery(String rawPath, int q) {
            int end = rawPath.indexOf('#', q);
            if (end < 0) end = rawPath.length();
            int at = q + 1;
            while (at < end) {
                int amp = rawPath.indexOf('&', at);
                if (amp < 0 || amp > end) amp = end;
                int eq = rawPath.indexOf('=', at);
                int nameEnd = eq < 0 || eq > amp ? amp : eq;
                if (nameEnd > at) countQueryName(rawPath, at, nameEnd);
                at = amp + 1;
            }
        }

        private void countQueryName(String rawPath, int from, int to) {
            int length = to - from;
            if (length > ObservedParameters.MAX_NAME_LENGTH) {
                otherQueryNames++;
                return;
            }
            for (int i = 0; i < distinctQueryNames; i++) {
                if (queryNames[i].length() == length && rawPath.regionMatches(from, queryNames[i], 0, length)) {
                    queryNameCounts[i]++;
                    return;
                }
            }
            if (distinctQueryNames == ObservedParameters.MAX_QUERY_NAMES) {
                otherQueryNames++;
                return;
            }
            if (queryNames == null) {
                queryNames = new String[4];
                queryNameCounts = new long[4];
            } else if (distinctQueryNames == queryNames.length) {
                queryNames = java.util.Arrays.copyOf(queryNames, distinctQueryNames * 2);
                queryNameCounts = java.util.Arrays.copyOf(queryNameCounts, distinctQueryNames * 2);
            }
            queryNames[distinctQueryNames] = rawPath.substring(from, to);
            queryNameCounts[distinctQueryNames++] = 1;
        }

        /** Positions of the template's parameters, worked out at the first request (the key's template never changes). */
        int[] paramAt;
        int templateSegments;

        void countKinds(PathSegments segments, String template) {
            if (paramAt == null) {
                List<String> t = TemplatePath.segments(template);
                templateSegments = t.size();
                int n = 0;
                int[] at = new int[t.size()];
                for (int i = 0; i < t.size(); i++) if (SegmentShape.isParam(t.get(i))) at[n++] = i;
                paramAt = java.util.Arrays.copyOf(at, n);
                if (n > 0) pathKinds = new int[n];
            }
            if (paramAt.length == 0 || segments.count() != templateSegments) return;
            for (int p = 0; p < paramAt.length; p++) pathKinds[p] |= ObservedParameters.kindOf(segments.view(paramAt[p]));
        }

        ObservedParameters parameters() {
            List<Integer> kinds = new ArrayList<>();
            if (pathKinds != null) {
                int last = pathKinds.length;
                while (last > 0 && pathKinds[last - 1] == 0) last--;
                for (int i = 0; i < last; i++) kinds.add(pathKinds[i]);
            }
            Map<String, Long> names = new HashMap<>(distinctQueryNames * 2);
            for (int i = 0; i < distinctQueryNames; i++) names.put(queryNames[i], queryNameCounts[i]);
            ObservedParameters seen = new ObservedParameters(names, otherQueryNames, kinds);
            return stored.plus(seen);
        }

        void countStatus(int code, long n) {
            for (int i = 0; i < distinctCodes; i++) {
                if (codes[i] == code) {
                    codeCounts[i] += n;
                    return;
                }
            }
            if (distinctCodes == codes.length) {
                codes = java.util.Arrays.copyOf(codes, distinctCodes * 2);
                codeCounts = java.util.Arrays.copyOf(codeCounts, distinctCodes * 2);
            }
            codes[distinctCodes] = code;
            codeCounts[distinctCodes++] = n;
        }

        Map<Integer, Long> statusCodes() {
            Map<Integer, Long> m = new HashMap<>(distinctCodes * 2);
            for (int i = 0; i < distinctCodes; i++) m.put(codes[i], codeCounts[i]);
            return m;
        }

        void add(EndpointSummary s) {
            count += s.count();
            s.statusCodes().forEach((code, n) -> countStatus(code, n));
            latency.add(s.latency());
            requestBytes += s.requestBytes();
            responseBytes += s.responseBytes();
            s.firstSeen().ifPresent(at -> {
                if (firstSeen == null || at.isBefore(firstSeen)) firstSeen = at;
            });
            if (s.lastSeen().isPresent() && (lastSeen == null || s.lastSeen().get().isAfter(lastSeen))) {
                lastSeen = s.lastSeen().get();
                route = s.route();
                stage = s.stage();
            } else if (route.isEmpty()) {
                route = s.route();
                stage = s.stage();
            }
            declared |= s.declared();
            stored = stored.plus(s.parameters());
        }

        EndpointSummary toSummary(EndpointKey key) {
            return new EndpointSummary(key, count, statusCodes(), latency.snapshot(), requestBytes, responseBytes,
                    Optional.ofNullable(firstSeen), Optional.ofNullable(lastSeen), route, stage, declared, parameters());
        }
    }

    private final PathTemplater templater;
    private final int maxEndpoints;
    private final Map<EndpointKey, Running> endpoints = new HashMap<>();
    /**
     * The same endpoints by method, then template, so that {@link #record} finds a known endpoint
     * without building a key: the method is one of a few constants and the template is the string
     * the templater caches, so both hashes are cached too. Kept beside {@link #endpoints} rather
     * than instead of it, as snapshots and compaction walk that map in its order.
     */
    private final Map<String, Map<String, Running>> byMethod = new HashMap<>();
    /** The path of the request being recorded, split in place; reused, as one thread records. */
    private final PathSegments segments = new PathSegments();
    private final DeclaredTemplates declared = new DeclaredTemplates();
    private final Set<String> declaredTemplates = new HashSet<>();
    private long overflow;
    private long compactedAt = 0;

    public Catalog() {
        this(new PathTemplater(), DEFAULT_MAX_ENDPOINTS);
    }

    /** @param maxEndpoints cap on endpoints kept (≥ 1) */
    public Catalog(PathTemplater templater, int maxEndpoints) {
        this.templater = Objects.requireNonNull(templater, "templater");
        if (maxEndpoints < 1) throw new IllegalArgumentException("maxEndpoints: " + maxEndpoints + " (expected: >= 1)");
        this.maxEndpoints = maxEndpoints;
    }

    /**
     * Records one request. Never throws for odd input (any method, any path): the catalog is an
     * extra of the request path and degrades by counting.
     *
     * @param status        0 when the client left before an answer
     * @param durationNanos negative when not measured (an access log without request times)
     */
    public void record(String method, String rawPath, int status, long durationNanos, long requestBytes,
                       long responseBytes, Optional<String> route, Optional<Stage> stage, Instant at) {
        PathSegments path = segments.split(rawPath);
        String methodName = methodOf(method);
        String template = templateOf(path);
        Running r = find(methodName, template);
        if (r == null) {
            r = newEndpoint(new EndpointKey(methodName, template));
            if (r == null) {
                overflow++;
                return;
            }
        }
        r.count++;
        r.countStatus(status, 1);
        r.countKinds(path, template);
        int q = rawPath.indexOf('?');
        if (q >= 0) r.countQuery(rawPath, q);
        if (durationNanos >= 0) r.latency.recordNanos(durationNanos); // negative: not measured (an access log without times)
        r.requestBytes += Math.max(0, requestBytes);
        r.responseBytes += Math.max(0, responseBytes);
        if (r.firstSeen == null || at.isBefore(r.firstSeen)) r.firstSeen = at;
        if (r.lastSeen == null || !at.isBefore(r.lastSeen)) {
            r.lastSeen = at;
            r.route = route;
            r.stage = stage;
        }
    }


    /**
     * Seeds an endpoint declared by the monolith's OpenAPI document: it shows with count 0 until
     * called, and requests matching its template are recorded under it. Declared endpoints do not
     * count against the cap's refusals (they are few and chosen by the operator), but do take room.
     */
    public void declare(EndpointKey key) {
        Objects.requireNonNull(key, "key");
        declared.add(key.template());
        declaredTemplates.add(key.template());
        Running r = endpoints.get(key);
        if (r == null) put(key, r = new Running());
        r.declared = true;
    }

    /** Adds a stored summary (a restart, another gateway); a declared one is declared again. */
    public void merge(EndpointSummary summary) {
        Objects.requireNonNull(summary, "summary");
        if (summary.declared()) declare(summary.key());
        Running r = endpoints.get(summary.key());
        if (r == null) r = newEndpoint(summary.key());
        if (r == null) {
            overflow += summary.count();
            return;
        }
        r.add(summary);
    }

    /**
     * Every endpoint, sorted by key, after {@link #compact()}, reconciled ({@link EndpointReconciler}:
     * declared names win, one name per shape, literals that only answer 4xx taken as parameters).
     */
    public List<EndpointSummary> snapshot() {
        return EndpointReconciler.reconcile(summaries());
    }

    /**
     * Every endpoint after {@link #compact()}, not reconciled: a part of a catalog that is merged
     * with others ({@link #merge}) and reconciled once as a whole, as a gateway with a catalog per
     * event loop does.
     */
    public List<EndpointSummary> summaries() {
        compact();
        List<EndpointSummary> out = new ArrayList<>(endpoints.size());
        endpoints.forEach((key, r) -> out.add(r.toSummary(key)));
        return out;
    }

    /**
     * Re-templates every learnt key against what the templater knows now and merges keys that
     * coincide. Cheap when nothing generalized since the last run.
     */
    public void compact() {
        if (templater.generalizations() == compactedAt) return;
        compactedAt = templater.generalizations();
        Map<EndpointKey, EndpointKey> moves = new HashMap<>();
        for (EndpointKey key : endpoints.keySet()) {
            if (declaredTemplates.contains(key.template())) continue;
            String now = templater.resolve(key.template());
            if (!now.equals(key.template())) moves.put(key, new EndpointKey(key.method(), now));
        }
        moves.forEach((from, to) -> {
            Running moved = remove(from);
            Running into = endpoints.get(to);
            if (into == null) put(to, into = new Running());
            into.add(moved.toSummary(from).movedTo(to));
        });
    }

    /**
     * The templates of the endpoints kept now that are not junk (declared, or answered something
     * other than "no such thing": {@link Progress.Junk#isJunk}). Cheap (no snapshot, no reconciling):
     * for naming groups as endpoints appear.
     */
    public List<String> templates() {
        List<String> out = new ArrayList<>(endpoints.size());
        endpoints.forEach((key, r) -> {
            if (r.declared || !r.onlyNotFoundLike()) out.add(key.template());
        });
        return out;
    }

    /** Requests (and counts of merged summaries) not kept because the catalog was full. */
    public long overflow() {
        return overflow;
    }

    /** Endpoints kept now (before compaction). */
    public int size() {
        return endpoints.size();
    }

    public PathTemplater templater() {
        return templater;
    }

    private String templateOf(PathSegments path) {
        if (!declared.isEmpty()) {
            String t = declared.match(path);
            if (t != null) return t;
        }
        return templater.template(path);
    }

    private Running find(String method, String template) {
        Map<String, Running> byTemplate = byMethod.get(method);
        return byTemplate == null ? null : byTemplate.get(template);
    }

    private void put(EndpointKey key, Running r) {
        endpoints.put(key, r);
        byMethod.computeIfAbsent(key.method(), m -> new HashMap<>()).put(key.template(), r);
    }

    private Running remove(EndpointKey key) {
        byMethod.get(key.method()).remove(key.template());
        return endpoints.remove(key);
    }

    private Running newEndpoint(EndpointKey key) {
        if (endpoints.size() >= maxEndpoints) {
            compact();
            if (endpoints.size() >= maxEndpoints) return null;
            if (endpoints.containsKey(key)) return endpoints.get(key);
        }
        Running r = new Running();
        put(key, r);
        return r;
    }

    private static String methodOf(String method) {
        if (method == null) return "OTHER";
        String upper = method.toUpperCase(java.util.Locale.ROOT);
        return METHODS.contains(upper) ? upper : "OTHER";
    }
}
