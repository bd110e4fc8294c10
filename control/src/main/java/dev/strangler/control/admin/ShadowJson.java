package dev.strangler.control.admin;

import dev.strangler.control.sync.ShadowSummaryJson;
import dev.strangler.control.view.ShadowReport;
import dev.strangler.core.shadow.RouteShadowSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The shadow results as the admin API shows them. Everything in them was redacted when recorded. With a
 * store, a route's results are the fleet's sum against the route's current service, named, with the
 * older results against other services listed apart.
 */
final class ShadowJson {
    private ShadowJson() {}

    /** The overview of one route: counts only (this gateway's own results, no store). */
    static JsonObject overview(RouteShadowSummary s) {
        return ShadowSummaryJson.overview(s);
    }

    /** One route in full: counts, differing paths with examples and noise judgement, and samples (no store). */
    static JsonObject detail(RouteShadowSummary s) {
        return ShadowSummaryJson.detail(s);
    }

    /** A route's overview from the fleet's results: counts, the service they are about, and older services. */
    static JsonObject overview(ShadowReport r) {
        return labelled(ShadowSummaryJson.overview(r.current()), r);
    }

    /** A route in full from the fleet's results. */
    static JsonObject detail(ShadowReport r) {
        return labelled(ShadowSummaryJson.detail(r.current()), r);
    }

    private static JsonObject labelled(JsonObject json, ShadowReport r) {
        JsonArray older = new JsonArray();
        for (ShadowReport.Older o : r.older()) {
            older.add(new JsonObject()
                    .put("service", o.service())
                    .put("serviceDigest", o.serviceDigest())
                    .put("comparisons", o.comparisons())
                    .put("matches", o.matches())
                    .put("matchRate", o.matchRate().orElse(null))
                    .put("lastUpdated", o.lastUpdated().toString()));
        }
        return json.put("service", r.service())
                .put("serviceDigest", r.serviceDigest())
                .put("fleet", r.fleet())
                .put("gateways", r.gateways())
                .put("since", r.since().map(Object::toString).orElse(null))
                .put("older", older);
    }
}
