package dev.strangler.cli;


/** The one line a change command prints: {@code posts-read: canary 5% → canary 25% (audit #12)}. */
final class ChangeLine {
    private ChangeLine() {}

    /** @param change the admin API's <em>Change</em>: {@code {"route": RouteView, "audit": AuditEntry}} */
    static String render(JsonObject change) {
        JsonObject route = AdminJson.object(change, "route");
        JsonObject audit = change.getJsonObject("audit");
        if (audit == null) {
            return AdminJson.text(route, "name", "?") + ": " + StagePercent.of(route) + (AdminJson.flag(route, "paused", false) ? ", paused" : "");
        }
        String from = StagePercent.of(audit.getJsonObject("from")).toString();
        String to = StagePercent.of(audit.getJsonObject("to")).toString();
        String action = AdminJson.text(audit, "action", "");
        String what;
        if (!from.equals(to)) what = from + " → " + to;
        else if (action.equals("pause")) what = "paused at " + to;
        else if (action.equals("resume")) what = "resumed at " + to;
        else what = to + " (unchanged)";
        return AdminJson.text(audit, "route", AdminJson.text(route, "name", "?")) + ": " + what
                + " (audit #" + AdminJson.text(audit, "id", "?") + ")";
    }
}
