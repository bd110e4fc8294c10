package dev.strangler.control.admin;

import dev.strangler.core.diff.Difference;
import dev.strangler.core.shadow.PathStat;
import dev.strangler.core.shadow.ResponseExcerpt;
import dev.strangler.core.shadow.RouteShadowSummary;
import dev.strangler.core.shadow.Sample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The shadow summaries as the admin API shows them. Everything in them was redacted when recorded. */
final class ShadowJson {
    private ShadowJson() {}

    /** The overview of one route: counts only. */
    static JsonObject overview(RouteShadowSummary s) {
        JsonObject dropped = new JsonObject();
        s.dropped().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> dropped.put(e.getKey().label(), e.getValue()));
        return new JsonObject()
                .put("route", s.route())
                .put("comparisons", s.comparisons())
                .put("matches", s.matches())
                .put("mismatches", s.mismatches())
                .put("matchRate", s.matchRate())
                .put("dropped", dropped);
    }

    /** One route in full: counts, differing paths with examples and noise judgement, and samples. */
    static JsonObject detail(RouteShadowSummary s) {
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
                            .put("share", p.noiseEvidence().share()))
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

    private static JsonObject excerpt(ResponseExcerpt e) {
        JsonObject headers = new JsonObject();
        e.headers().forEach((k, v) -> headers.put(k, new JsonArray(v)));
        return new JsonObject().put("status", e.status()).put("headers", headers).put("body", e.body())
                .put("bodyBytes", e.bodyBytes());
    }
}
