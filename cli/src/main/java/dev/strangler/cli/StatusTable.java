package dev.strangler.cli;


import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import static dev.strangler.cli.AdminJson.flag;
import static dev.strangler.cli.AdminJson.object;
import static dev.strangler.cli.AdminJson.text;

/**
 * {@code strangler status}: one line per route from the admin API's <em>RouteView</em>s — where it
 * is, who moves it, since when, the service and the monolith side by side over that time, the
 * shadow match rate, the next step and the controller's last judgement. The service's errors count
 * every failure of the service, also those the monolith's fallback hid from users ({@code FALLBACKS}
 * says how many were hidden so). A route the controller holds after a rollback gets a note under its
 * row: when the hold ends and the command that lifts it; so does a route whose numbers are unknown
 * because the admin could not read the state store.
 */
final class StatusTable {
    /** The controller's summary is free text; past this many characters it is cut with an ellipsis. */
    static final int DECISION_WIDTH = 60;

    /** The API's {@code numbers} when it could not read the store: its {@code window} is then absent. */
    private static final String STORE_UNREACHABLE = "store-unreachable";
    /** Said under such a route, so its {@code -} numbers are not read as "no traffic". */
    static final String UNKNOWN_NUMBERS = "numbers unknown: the state store cannot be read (stage and percent are the last known)";

    private StatusTable() {}

    static String render(JsonArray routes, Instant now) {
        return render(routes, now, false);
    }

    /** @param wide whether the last decision is printed whole rather than cut at {@link #DECISION_WIDTH} */
    static String render(JsonArray routes, Instant now, boolean wide) {
        if (routes.isEmpty()) return "no routes: every request goes to the monolith";
        TextTable table = new TextTable("ROUTE", "STAGE", "AUTO", ">SINCE",
                ">SERVICE REQ", ">ERR%", ">P50", ">FALLBACKS", ">MONOLITH REQ", ">ERR%", ">P50", ">MATCH", "NEXT", "LAST DECISION");
        for (int i = 0; i < routes.size(); i++) {
            JsonObject r = routes.getJsonObject(i);
            JsonObject window = object(r, "window");
            JsonObject service = object(window, "service");
            JsonObject monolith = object(window, "monolith");
            JsonObject shadow = object(window, "shadow");
            JsonObject next = r.getJsonObject("next");
            table.row(text(r, "name", "?"), StagePercent.of(r).toString(), automation(r), since(text(r, "since", null), now),
                    count(service.getLong("requests")), percent(service.getDouble("errorRate"), 2), millis(service.getDouble("p50Ms")),
                    count(service.getLong("fallbacks")), count(monolith.getLong("requests")), percent(monolith.getDouble("errorRate"), 2), millis(monolith.getDouble("p50Ms")),
                    percent(shadow.getDouble("matchRate"), 1), next == null ? "-" : StagePercent.of(next).toString(),
                    decision(r.getJsonObject("lastDecision"), wide));
            JsonObject hold = r.getJsonObject("hold");
            if (hold != null) table.note(text(hold, "summary", "held after rollback until " + text(hold, "until", "?")));
            if (STORE_UNREACHABLE.equals(text(r, "numbers", ""))) table.note(UNKNOWN_NUMBERS);
        }
        return table.render();
    }

    /**
     * {@code manual}: the controller never moves it; {@code paused}: not now; {@code held}: not
     * forward, after an automatic rollback; {@code auto}: it may.
     */
    private static String automation(JsonObject route) {
        if (!flag(route, "automated", true)) return "manual";
        if (flag(route, "paused", false)) return "paused";
        return route.getJsonObject("hold") != null ? "held" : "auto";
    }

    private static String since(String at, Instant now) {
        if (at == null) return "-";
        try {
            return age(Duration.between(Instant.parse(at), now));
        } catch (DateTimeParseException e) {
            return "?";
        }
    }

    /** {@code 45s}, {@code 3m12s}, {@code 2h05m}, {@code 3d04h}: two units at most; a future time (clock skew) is {@code 0s}. */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        if (s < 86400) return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
    }

    private static String count(Long n) {
        return n == null ? "-" : n.toString();
    }

    /** A rate from 0 to 1 as a percentage; null (nothing measured yet) is {@code -}. */
    private static String percent(Double rate, int decimals) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * rate);
    }

    private static String millis(Double ms) {
        if (ms == null) return "-";
        return String.format(Locale.ROOT, ms < 10 ? "%.1fms" : "%.0fms", ms);
    }

    private static String decision(JsonObject last, boolean wide) {
        if (last == null) return "-";
        String text = text(last, "action", "?") + ": " + text(last, "summary", "").strip().replaceAll("\\s+", " ");
        return wide || text.length() <= DECISION_WIDTH ? text : text.substring(0, DECISION_WIDTH - 1) + "…";
    }
}
