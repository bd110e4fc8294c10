package dev.strangler.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code route_decision} table: one row per route, replaced by each judgement (delete + insert: portable). */
final class RouteDecisionTable {
    private RouteDecisionTable() {}

    /**
     * Replaces the stored decision of each route given (the last one of a route wins) whose route's
     * state is still at the version it was judged on, and returns those routes. The versions are read
     * with their rows locked ({@link RouteStateTable#lockVersions}) in the transaction that writes:
     * a person's move (a compare-and-set, then {@link #delete}) either commits before, and its route
     * is left out here, or waits for this transaction and then deletes what it wrote. Without the lock
     * a decision judged before the move could land after its delete and stand as the route's latest.
     */
    static Set<String> replaceIfCurrent(Connection connection, List<JudgedDecision> judged) throws SQLException {
        Map<String, JudgedDecision> byRoute = new LinkedHashMap<>();
        for (JudgedDecision j : judged) byRoute.put(j.route(), j);
        Map<String, Long> versions = RouteStateTable.lockVersions(connection, byRoute.keySet());
        List<RouteDecision> current = new ArrayList<>(byRoute.size());
        for (JudgedDecision j : byRoute.values()) {
            Long version = versions.get(j.route());
            if (version != null && version == j.stateVersion()) current.add(j.decision());
        }
        replace(connection, current);
        Set<String> written = new LinkedHashSet<>();
        for (RouteDecision d : current) written.add(d.route());
        return written;
    }

    /**
     * Replaces the stored decision of each route given (the last one of a route wins). A tick writes
     * the judgements that changed, nearly all of them over an existing row: one batch of updates in
     * place, then one batch of inserts for the routes that had none (first judged, or cleared since) —
     * a few round trips for a thousand decisions, and half the rows rewritten that delete-and-insert
     * would.
     */
    static void replace(Connection connection, List<RouteDecision> decisions) throws SQLException {
        if (decisions.isEmpty()) return;
        Map<String, RouteDecision> byRoute = new LinkedHashMap<>();
        for (RouteDecision d : decisions) byRoute.put(d.route(), d);
        List<RouteDecision> missing = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE route_decision SET decided_at = ?, action = ?, summary = ?, evidence = ? WHERE route = ?")) {
            for (RouteDecision d : byRoute.values()) {
                setValues(update, 1, d);
                update.setString(5, d.route());
                update.addBatch();
            }
            int[] updated = update.executeBatch();
            int i = 0;
            for (RouteDecision d : byRoute.values()) {
                if (updated[i++] != 1) missing.add(d); // 0: no row; SUCCESS_NO_INFO: unknown, so make sure
            }
        }
        if (missing.isEmpty()) return;
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM route_decision WHERE route = ?");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO route_decision (decided_at, action, summary, evidence, route) VALUES (?, ?, ?, ?, ?)")) {
            for (RouteDecision d : missing) {
                delete.setString(1, d.route());
                delete.addBatch();
                setValues(insert, 1, d);
                insert.setString(5, d.route());
                insert.addBatch();
            }
            delete.executeBatch();
            insert.executeBatch();
        }
    }

    /** Binds when, action, summary (cut to the column) and evidence (one line per element; null for none). */
    private static void setValues(PreparedStatement statement, int first, RouteDecision d) throws SQLException {
        Sql.setInstant(statement, first, d.at());
        statement.setString(first + 1, d.action());
        statement.setString(first + 2, d.summary().length() > 4000 ? d.summary().substring(0, 4000) : d.summary());
        if (d.evidence().isEmpty()) statement.setNull(first + 3, Types.VARCHAR);
        else statement.setString(first + 3, String.join("\n", d.evidence()));
    }

    static void delete(Connection connection, String route) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM route_decision WHERE route = ?")) {
            delete.setString(1, route);
            delete.executeUpdate();
        }
    }

    static List<RouteDecision> selectAll(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT route, decided_at, action, summary, evidence FROM route_decision ORDER BY route");
             ResultSet row = select.executeQuery()) {
            List<RouteDecision> out = new ArrayList<>();
            while (row.next()) {
                String evidence = row.getString("evidence");
                out.add(new RouteDecision(row.getString("route"), Sql.getInstant(row, "decided_at"), row.getString("action"),
                        row.getString("summary"), evidence == null ? List.of() : List.of(evidence.split("\n", -1))));
            }
            return out;
        }
    }
}
