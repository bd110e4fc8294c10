package dev.strangler.cli;


/** Admin API answers shaped exactly as docs/admin-api.md writes them. */
final class AdminApiDocuments {
    private AdminApiDocuments() {}

    /** The contract's own RouteView example: canary 5%, automated, 50 service and 950 monolith requests. */
    static JsonObject canaryRoute() {
        return new JsonObject("""
                {"name": "posts-read", "service": "posts", "stage": "canary", "percent": 5.0,
                 "paused": false, "automated": true, "path": "/api/posts/**", "methods": ["GET", "HEAD"],
                 "since": "2026-11-25T14:00:00Z", "next": {"stage": "canary", "percent": 25.0},
                 "steps": [1.0, 5.0, 25.0, 50.0],
                 "window": {"monolith": {"requests": 950, "errors": 3, "errorRate": 0.0032, "p50Ms": 4.1, "p99Ms": 20.3},
                            "service":  {"requests": 50,  "errors": 0, "errorRate": 0.0,    "p50Ms": 3.9, "p99Ms": 18.0},
                            "shadow":   {"compared": 0, "matched": 0, "matchRate": null}},
                 "lastDecision": {"at": "2026-11-25T14:01:00Z", "action": "hold", "summary": "waiting for 400 service requests (50 so far)"}}
                """);
    }

    /** In shadow (no percent: null, as the API sends it) with a match rate, no service answers yet (null rates and latencies), paused, never judged. */
    static JsonObject pausedShadowRoute() {
        return new JsonObject("""
                {"name": "users", "service": "users", "stage": "shadow", "percent": null,
                 "paused": true, "automated": true, "path": "/api/users/{id}", "methods": [],
                 "since": "2026-11-25T13:00:00Z", "next": {"stage": "canary", "percent": 1.0},
                 "steps": [1.0, 10.0, 50.0],
                 "window": {"monolith": {"requests": 2000, "errors": 0, "errorRate": 0.0, "p50Ms": 12.0, "p99Ms": 80.0},
                            "service":  {"requests": 0, "errors": 0, "errorRate": null, "p50Ms": null, "p99Ms": null},
                            "shadow":   {"compared": 2000, "matched": 1970, "matchRate": 0.985}},
                 "lastDecision": null}
                """);
    }

    /** Live, not automated (people move it), its last decision a long text. */
    static JsonObject manualLiveRoute() {
        return new JsonObject("""
                {"name": "search", "service": "search", "stage": "live", "percent": null,
                 "paused": false, "automated": false, "path": "/api/search", "methods": ["GET"],
                 "since": "2026-11-22T10:00:00Z", "next": {"stage": "retired"},
                 "steps": [],
                 "window": {"monolith": {"requests": 0, "errors": 0, "errorRate": null, "p50Ms": null, "p99Ms": null},
                            "service":  {"requests": 123456, "errors": 12, "errorRate": 0.0000972, "p50Ms": 150.4, "p99Ms": 900.0},
                            "shadow":   {"compared": 0, "matched": 0, "matchRate": null}},
                 "lastDecision": {"at": "2026-11-25T14:02:00Z", "action": "hold",
                                  "summary": "retiring is for people to decide: the monolith fallback was used 3 times in the last hour, see strangler history"}}
                """);
    }

    /** The contract's AuditEntry example: the controller's promotion from canary 1% to 5% with its evidence. */
    static JsonObject promotionEntry() {
        return new JsonObject("""
                {"id": 12, "at": "2026-11-25T14:00:00Z", "route": "posts-read", "actor": "controller",
                 "action": "promote", "from": {"stage": "canary", "percent": 1.0},
                 "to": {"stage": "canary", "percent": 5.0}, "reason": "every gate passed",
                 "evidence": ["error rate: service 0.0% (0/400) vs monolith 0.2% (2/800) ... PASS", "latency: ... PASS"]}
                """);
    }

    static JsonObject rollbackEntry() {
        return new JsonObject("""
                {"id": 13, "at": "2026-11-25T14:30:05Z", "route": "posts-read", "actor": "cli:ana",
                 "action": "rollback", "from": {"stage": "canary", "percent": 5.0},
                 "to": {"stage": "shadow"}, "reason": "500s on page 2", "evidence": []}
                """);
    }

    /** The route's creation has no {@code from}. */
    static JsonObject createEntry() {
        return new JsonObject("""
                {"id": 1, "at": "2026-11-25T09:00:00Z", "route": "posts-read", "actor": "config",
                 "action": "create", "from": null, "to": {"stage": "monolith"}, "reason": null, "evidence": []}
                """);
    }

    static JsonArray history() {
        return new JsonArray().add(rollbackEntry()).add(promotionEntry()).add(createEntry());
    }

    /** A Change: the route as it is now and the audit entry of the move. */
    static JsonObject change(JsonObject audit, JsonObject route) {
        return new JsonObject().put("route", route).put("audit", audit);
    }

    static JsonObject problem(int status, String type, String detail) {
        return new JsonObject().put("type", "https://strangler.dev/problems/" + type).put("title", type)
                .put("status", status).put("detail", detail);
    }
}
