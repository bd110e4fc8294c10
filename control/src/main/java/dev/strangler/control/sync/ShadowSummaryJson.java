package dev.strangler.control.sync;

import dev.strangler.core.diff.DiffKind;
import dev.strangler.core.diff.Difference;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.shadow.NoiseClass;
import dev.strangler.core.shadow.NoiseEvidence;
import dev.strangler.core.shadow.PathStat;
import dev.strangler.core.shadow.ResponseExcerpt;
import dev.strangler.core.shadow.RouteShadowSummary;
import dev.strangler.core.shadow.Sample;
import dev.strangler.core.shadow.SamplePair;
import dev.strangler.store.StoredShadowResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A shadow summary as JSON: the shape {@code /api/shadow/ROUTE} shows, and what the store keeps (so a
 * row reads like the API). Everything in a summary was redacted when recorded; this only encodes it.
 * For the store, {@link #stored} keeps the text under {@link StoredShadowResult#MAX_SUMMARY_CHARS} by
 * dropping samples first, then the least differing paths.
 */
public final class ShadowSummaryJson {
    private ShadowSummaryJson() {}

    /** The counts of a summary, without paths and samples. */
    public static JsonObject overview(RouteShadowSummary s) {
        JsonObject dropped = new JsonObject();
        s.dropped().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> dropped.put(e.getKey().label(), e.getValue()));
        return new JsonObject()
                .put("route", s.route())
                .put("comparisons", s.comparisons())
                .put("matches", s.matches())
                .put("mismatches", s.mismatches())
                .put("matchRate", s.matchRate())
                .put("dropped", dropped);
    }

    /** A summary in full: counts, differing paths with examples and noise judgement, and samples. */
    public static JsonObject detail(RouteShadowSummary s) {
        JsonArray paths = new JsonArray();
        for (PathStat p : s.paths()) {
            JsonObject kinds = new JsonObject();
            p.kinds().forEach((k, v) -> kinds.put(k.name(), v));
            paths.add(new JsonObject()
                    .put("path", p.path())
                    .put("mismatches", p.mismatches())
                    .put("kinds", kinds)
                    .put("noise", p.noise().name())
                    .put("noiseEvidence", new JsonObject()
                            .put("pairs", p.noiseEvidence().pairs())
                            .put("differed", p.noiseEvidence().differed())
                            .put("share", p.noiseEvidence().share())
                            .put("confirmed", p.noiseEvidence().confirmed()))
                    .put("monolith", p.exampleMonolithValue().orElse(null))
                    .put("service", p.exampleServiceValue().orElse(null)));
        }
        JsonArray samples = new JsonArray();
        for (Sample sample : s.samples()) {
            JsonArray differences = new JsonArray();
            for (Difference d : sample.differences()) {
                differences.add(new JsonObject().put("path", d.path()).put("kind", d.kind().name())
                        .put("monolith", d.monolithValue().orElse(null)).put("service", d.serviceValue().orElse(null)));
            }
            samples.add(new JsonObject()
                    .put("request", sample.pair().method() + " " + sample.pair().target())
                    .put("matched", sample.matched())
                    .put("monolith", excerpt(sample.pair().monolith()))
                    .put("service", excerpt(sample.pair().service()))
                    .put("differences", differences));
        }
        return overview(s).put("paths", paths).put("samples", samples);
    }

    /** {@link #detail} as text of at most {@link StoredShadowResult#MAX_SUMMARY_CHARS} characters. */
    public static String stored(RouteShadowSummary s) {
        RouteShadowSummary fitting = s;
        String text = detail(fitting).encode();
        while (text.length() > StoredShadowResult.MAX_SUMMARY_CHARS) {
            List<Sample> samples = fitting.samples();
            List<PathStat> paths = fitting.paths();
            if (!samples.isEmpty()) samples = samples.subList(0, samples.size() / 2);
            else if (!paths.isEmpty()) paths = paths.subList(0, paths.size() / 2);
            else throw new IllegalStateException("a shadow summary without paths or samples is "
                    + text.length() + " characters (expected: at most " + StoredShadowResult.MAX_SUMMARY_CHARS + ")");
            fitting = new RouteShadowSummary(s.route(), s.comparisons(), s.matches(), s.mismatches(), s.dropped(),
                    s.matchRate(), paths, samples);
            text = detail(fitting).encode();
        }
        return text;
    }

    /** Reads back what {@link #detail} wrote. @throws IllegalArgumentException for text it did not write */
    public static RouteShadowSummary read(String text) {
        try {
            return read(new JsonObject(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a stored shadow summary: " + e.getMessage(), e);
        }
    }

    static RouteShadowSummary read(JsonObject d) {
        Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) dropped.put(reason, 0L);
        d.getJsonObject("dropped", new JsonObject()).forEach(e -> DropReason.fromLabel(e.getKey())
                .ifPresent(reason -> dropped.put(reason, ((Number) e.getValue()).longValue())));
        List<PathStat> paths = new ArrayList<>();
        for (Object o : d.getJsonArray("paths", new JsonArray())) {
            JsonObject p = (JsonObject) o;
            Map<DiffKind, Long> kinds = new LinkedHashMap<>();
            p.getJsonObject("kinds").forEach(e -> kinds.put(DiffKind.valueOf(e.getKey()), ((Number) e.getValue()).longValue()));
            JsonObject ev = p.getJsonObject("noiseEvidence", new JsonObject());
            NoiseEvidence evidence = new NoiseEvidence(ev.getLong("pairs", 0L), ev.getLong("differed", 0L),
                    ev.getBoolean("confirmed", false));
            paths.add(new PathStat(p.getString("path"), kinds, p.getLong("mismatches"), Optional.ofNullable(p.getString("monolith")),
                    Optional.ofNullable(p.getString("service")), NoiseClass.valueOf(p.getString("noise")), evidence));
        }
        List<Sample> samples = new ArrayList<>();
        for (Object o : d.getJsonArray("samples", new JsonArray())) {
            JsonObject s = (JsonObject) o;
            String request = s.getString("request");
            int space = request.indexOf(' ');
            SamplePair pair = new SamplePair(space < 0 ? request : request.substring(0, space),
                    space < 0 ? "" : request.substring(space + 1), excerpt(s.getJsonObject("monolith")),
                    excerpt(s.getJsonObject("service")));
            List<Difference> differences = new ArrayList<>();
            for (Object x : s.getJsonArray("differences", new JsonArray())) {
                JsonObject diff = (JsonObject) x;
                differences.add(new Difference(diff.getString("path"), DiffKind.valueOf(diff.getString("kind")),
                        Optional.ofNullable(diff.getString("monolith")), Optional.ofNullable(diff.getString("service"))));
            }
            samples.add(new Sample(pair, s.getBoolean("matched"), differences));
        }
        return new RouteShadowSummary(d.getString("route"), d.getLong("comparisons"), d.getLong("matches"),
                d.getLong("mismatches"), dropped, d.getDouble("matchRate"), paths, samples);
    }

    private static JsonObject excerpt(ResponseExcerpt e) {
        JsonObject headers = new JsonObject();
        e.headers().forEach((k, v) -> headers.put(k, new JsonArray(v)));
        return new JsonObject().put("status", e.status()).put("headers", headers).put("body", e.body())
                .put("bodyBytes", e.bodyBytes());
    }

    private static ResponseExcerpt excerpt(JsonObject e) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        e.getJsonObject("headers", new JsonObject()).forEach(h -> {
            List<String> values = new ArrayList<>();
            ((JsonArray) h.getValue()).forEach(v -> values.add(String.valueOf(v)));
            headers.put(h.getKey(), values);
        });
        return new ResponseExcerpt(e.getInteger("status"), headers, e.getString("body", ""), e.getInteger("bodyBytes", 0));
    }
}
