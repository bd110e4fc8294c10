package dev.strangler.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** The {@code route_decision} table: one row per route, replaced by each judgement (delete + insert: portable). */
final class RouteDecisionTable {
    private RouteDecisionTable() {}

    static void replace(Connection connection, RouteDecision d) throws SQLException {
        delete(connection, d.route());
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO route_decision (route, decided_at, action, summary, evidence) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, d.route());
            Sql.setInstant(insert, 2, d.at());
            insert.setString(3, d.action());
            insert.setString(4, d.summary().length() > 4000 ? d.summary().substring(0, 4000) : d.summary());
            if (d.evidence().isEmpty()) insert.setNull(5, Types.VARCHAR);
            else insert.setString(5, String.join("\n", d.evidence()));
            insert.executeUpdate();
        }
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
