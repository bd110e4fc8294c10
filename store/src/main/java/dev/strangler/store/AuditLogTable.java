package dev.strangler.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code audit_log} table, append only. Evidence is one text column, one line per element;
 * NULL for no evidence, so that an empty list and a list of one empty line both survive the trip.
 */
final class AuditLogTable {

    private static final String COLUMNS = "changed_at, route, actor, action, from_stage, from_percent, to_stage, "
            + "to_percent, reason, evidence";

    private AuditLogTable() {
    }

    static AuditEntry insert(Connection connection, AuditEntry entry) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            Sql.setInstant(insert, 1, entry.at());
            insert.setString(2, entry.route());
            insert.setString(3, entry.actor());
            insert.setString(4, entry.action());
            Sql.setStage(insert, 5, entry.fromStage());
            insert.setDouble(6, entry.fromPercent());
            Sql.setStage(insert, 7, entry.toStage());
            insert.setDouble(8, entry.toPercent());
            insert.setString(9, entry.reason());
            if (entry.evidence().isEmpty()) insert.setNull(10, Types.VARCHAR);
            else insert.setString(10, String.join("\n", entry.evidence()));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) throw new SQLException("audit_log: the database returned no id for the new entry");
                return entry.withId(keys.getLong(1));
            }
        }
    }

    static List<AuditEntry> selectNewestFirst(Connection connection, Optional<String> route, int limit)
            throws SQLException {
        String where = route.isPresent() ? " WHERE route = ?" : "";
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, " + COLUMNS + " FROM audit_log" + where + " ORDER BY id DESC FETCH FIRST ? ROWS ONLY")) {
            int index = 1;
            if (route.isPresent()) select.setString(index++, route.get());
            select.setInt(index, limit);
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) entries.add(read(row));
            }
            return entries;
        }
    }

    private static AuditEntry read(ResultSet row) throws SQLException {
        String evidence = row.getString("evidence");
        return new AuditEntry(row.getLong("id"), Sql.getInstant(row, "changed_at"), row.getString("route"),
                row.getString("actor"), row.getString("action"), Sql.getStage(row, "from_stage"),
                row.getDouble("from_percent"), Sql.getStage(row, "to_stage"), row.getDouble("to_percent"),
                row.getString("reason"), evidence == null ? List.of() : Arrays.asList(evidence.split("\n", -1)));
    }
}
