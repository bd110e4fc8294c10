package dev.strangler.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code progress_snapshot} table: appended rows of the progress line, read oldest first. */
final class ProgressSnapshotTable {
    private ProgressSnapshotTable() {}

    static void insert(Connection connection, List<ProgressSnapshot> rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO progress_snapshot (taken_at, stage, routes, endpoints, requests, bytes) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (ProgressSnapshot s : rows) {
                Sql.setInstant(insert, 1, s.takenAt());
                insert.setString(2, s.stage());
                insert.setInt(3, s.routes());
                insert.setLong(4, s.endpoints());
                insert.setLong(5, s.requests());
                insert.setLong(6, s.bytes());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    static List<ProgressSnapshot> selectSince(Connection connection, Instant since) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT taken_at, stage, routes, endpoints, requests, bytes "
                + "FROM progress_snapshot WHERE taken_at >= ? ORDER BY taken_at, stage")) {
            Sql.setInstant(select, 1, since);
            try (ResultSet row = select.executeQuery()) {
                List<ProgressSnapshot> out = new ArrayList<>();
                while (row.next()) {
                    out.add(new ProgressSnapshot(Sql.getInstant(row, "taken_at"), row.getString("stage"), row.getInt("routes"),
                            row.getLong("endpoints"), row.getLong("requests"), row.getLong("bytes")));
                }
                return out;
            }
        }
    }

    static Instant latest(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT MAX(taken_at) AS latest FROM progress_snapshot");
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getObject("latest") == null ? null : Sql.getInstant(row, "latest");
        }
    }
}
