package dev.strangler.cli;


import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import static dev.strangler.cli.AdminJson.array;
import static dev.strangler.cli.AdminJson.text;

/**
 * {@code strangler history}: the admin API's <em>AuditEntry</em>s in the order given (newest
 * first), one line each, with the evidence the controller weighed indented under its decision.
 */
final class HistoryReport {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private HistoryReport() {}

    /** @param zone the time zone the times are shown in (the user's) */
    static String render(JsonArray entries, ZoneId zone) {
        if (entries.isEmpty()) return "no changes recorded";
        TextTable table = new TextTable("WHEN", "ROUTE", "ACTOR", "ACTION", "FROM → TO", "REASON");
        for (int i = 0; i < entries.size(); i++) {
            JsonObject e = entries.getJsonObject(i);
            table.row(when(text(e, "at", null), zone), text(e, "route", "?"), text(e, "actor", "?"), text(e, "action", "?"),
                    StagePercent.of(e.getJsonObject("from")) + " → " + StagePercent.of(e.getJsonObject("to")),
                    text(e, "reason", ""));
            JsonArray evidence = array(e, "evidence");
            for (int j = 0; j < evidence.size(); j++) table.note(String.valueOf(evidence.getValue(j)));
        }
        return table.render();
    }

    /** ISO local date and time to the second, e.g. {@code 2026-11-25T15:00:00}. */
    private static String when(String at, ZoneId zone) {
        if (at == null) return "-";
        try {
            return WHEN.format(Instant.parse(at).atZone(zone));
        } catch (DateTimeParseException e) {
            return at;
        }
    }
}
