package dev.strangler.control.catalog;

import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointReconciler;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.LatencySketch;
import dev.strangler.core.catalog.ObservedParameters;
import dev.strangler.core.catalog.Progress;
import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.stage.Stage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The catalog as the admin API sends it ({@code GET /api/catalog}) and {@code strangler analyze}
 * reads it back: every field of an {@link EndpointSummary}, the latency sketch included (base64),
 * so the reader computes progress and ranking from exactly what the store holds. Quantiles are
 * added for people reading the JSON.
 */
public final class CatalogJson {
    private CatalogJson() {}

    /** The catalog reconciled ({@link EndpointReconciler}: one name per endpoint over the fleet), with its junk counted. */
    public static JsonObject of(List<EndpointSummary> all, long overflow, long dropped) {
        List<EndpointSummary> endpoints = EndpointReconciler.reconcile(all);
        return new JsonObject()
                .put("endpoints", new JsonArray(endpoints.stream().map(CatalogJson::endpoint).toList()))
                .put("overflow", overflow)
                .put("dropped", dropped)
                .put("junk", junk(Progress.Junk.of(endpoints)));
    }

    /**
     * The coupling matrix: {@code {"sessions": n, "groups": {"/api/products": n, ...}, "pairs":
     * [{"a": "/api/categories", "b": "/api/products", "sessions": n}, ...]}}.
     */
    public static JsonObject coupling(Affinity affinity) {
        JsonObject groups = new JsonObject();
        new TreeMap<>(affinity.groups()).forEach(groups::put);
        JsonArray pairs = new JsonArray();
        new TreeMap<>(affinity.pairs()).forEach((p, n) -> pairs.add(new JsonObject().put("a", p.a()).put("b", p.b())
                .put("sessions", n)));
        return new JsonObject().put("sessions", affinity.sessions()).put("groups", groups).put("pairs", pairs);
    }

    /** The coupling matrix read back from {@link #coupling(Affinity)}; none when absent. */
    public static Affinity coupling(JsonObject catalog) {
        JsonObject j = catalog.getJsonObject("coupling");
        if (j == null) return Affinity.NONE;
        Map<String, Long> groups = new TreeMap<>();
        j.getJsonObject("groups", new JsonObject()).forEach(e -> groups.put(e.getKey(), ((Number) e.getValue()).longValue()));
        Map<Affinity.Pair, Long> pairs = new TreeMap<>();
        for (Object o : j.getJsonArray("pairs", new JsonArray())) {
            JsonObject p = (JsonObject) o;
            pairs.put(Affinity.Pair.of(p.getString("a"), p.getString("b")), p.getLong("sessions"));
        }
        return new Affinity(j.getLong("sessions", 0L), groups, pairs);
    }

    /** The endpoints kept out of progress and ranking (only ever answered 4xx): counts and a few examples. */
    public static JsonObject junk(Progress.Junk junk) {
        return new JsonObject().put("endpoints", junk.endpoints()).put("requests", junk.requests())
                .put("examples", new JsonArray(junk.examples().stream().map(k -> k.method() + " " + k.template()).toList()));
    }

    public static JsonObject endpoint(EndpointSummary s) {
        JsonObject codes = new JsonObject();
        new TreeMap<>(s.statusCodes()).forEach((code, n) -> codes.put(Integer.toString(code), n));
        return new JsonObject()
                .put("method", s.key().method())
                .put("template", s.key().template())
                .put("count", s.count())
                .put("statusCodes", codes)
                .put("errorRate", s.errorRate())
                .put("p50Ms", finite(s.latency().quantileMillis(0.50)))
                .put("p99Ms", finite(s.latency().quantileMillis(0.99)))
                .put("latencySketch", Base64.getEncoder().encodeToString(s.latency().encode()))
                .put("requestBytes", s.requestBytes())
                .put("responseBytes", s.responseBytes())
                .put("firstSeen", s.firstSeen().map(Instant::toString).orElse(null))
                .put("lastSeen", s.lastSeen().map(Instant::toString).orElse(null))
                .put("route", s.route().orElse(null))
                .put("stage", s.stage().map(Stage::configName).orElse(null))
                .put("declared", s.declared())
                .put("parameters", parameters(s.parameters()));
    }

    private static JsonObject parameters(ObservedParameters p) {
        JsonObject query = new JsonObject();
        new TreeMap<>(p.queryNames()).forEach(query::put);
        return new JsonObject().put("query", query).put("otherQuery", p.otherQueryNames())
                .put("pathKinds", new JsonArray(p.pathKinds().stream().map(Object.class::cast).toList()));
    }

    private static ObservedParameters parameters(JsonObject j) {
        if (j == null) return ObservedParameters.NONE;
        Map<String, Long> query = new TreeMap<>();
        JsonObject q = j.getJsonObject("query", new JsonObject());
        for (String name : q.fieldNames()) query.put(name, q.getLong(name));
        List<Integer> kinds = j.getJsonArray("pathKinds", new JsonArray()).stream().map(o -> ((Number) o).intValue()).toList();
        return new ObservedParameters(query, j.getLong("otherQuery", 0L), kinds);
    }

    /** @throws IllegalArgumentException when the JSON is not an endpoint as {@link #endpoint} writes it */
    public static EndpointSummary endpoint(JsonObject j) {
        try {
            Map<Integer, Long> codes = new TreeMap<>();
            JsonObject c = j.getJsonObject("statusCodes", new JsonObject());
            for (String code : c.fieldNames()) codes.put(Integer.parseInt(code), c.getLong(code));
            String sketch = j.getString("latencySketch", "");
            return new EndpointSummary(new EndpointKey(j.getString("method"), j.getString("template")), j.getLong("count", 0L),
                    codes, sketch.isEmpty() ? LatencySketch.empty() : LatencySketch.decode(Base64.getDecoder().decode(sketch)),
                    j.getLong("requestBytes", 0L), j.getLong("responseBytes", 0L),
                    Optional.ofNullable(j.getString("firstSeen")).map(Instant::parse),
                    Optional.ofNullable(j.getString("lastSeen")).map(Instant::parse),
                    Optional.ofNullable(j.getString("route")),
                    Optional.ofNullable(j.getString("stage")).flatMap(Stage::fromConfigName),
                    j.getBoolean("declared", false), parameters(j.getJsonObject("parameters")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a catalog endpoint: " + e.getMessage() + ": " + j.encode(), e);
        }
    }

    public static List<EndpointSummary> endpoints(JsonObject catalog) {
        return catalog.getJsonArray("endpoints", new JsonArray()).stream()
                .map(o -> endpoint((JsonObject) o)).toList();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : null;
    }
}
