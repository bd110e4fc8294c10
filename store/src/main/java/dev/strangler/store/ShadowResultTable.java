package dev.strangler.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code shadow_result} table: one row per (gateway, route, service, service digest), replaced by
 * its gateway whenever its summary changed. Only that gateway writes the row, from one thread.
 */
final class ShadowResultTable {
    private static final String COLUMNS = "gateway, route, service, service_digest, first_seen, updated_at, comparisons, "
            + "matches, summary";

    private ShadowResultTable() {
    }

    static void replace(Connection connection, StoredShadowResult r) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM shadow_result WHERE gateway = ? AND route = ? AND service = ? AND service_digest = ?")) {
            delete.setString(1, r.gateway());
            delete.setString(2, r.route());
            delete.setString(3, r.service());
            delete.setString(4, r.serviceDigest());
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO shadow_result (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, r.gateway());
            insert.setString(2, r.route());
            insert.setString(3, r.service());
            insert.setString(4, r.serviceDigest());
            Sql.setInstant(insert, 5, r.firstSeen());
            Sql.setInstant(insert, 6, r.updatedAt());
            insert.setLong(7, r.comparisons());
            insert.setLong(8, r.matches());
            insert.setString(9, r.summary());
            insert.executeUpdate();
        }
    }

    /** Every gateway's rows of a route, most recently updated first. */
    static List<StoredShadowResult> selectRoute(Connection connection, String route) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM shadow_result WHERE route = ? ORDER BY updated_at DESC, gateway, service, service_digest")) {
            select.setString(1, route);
            try (ResultSet row = select.executeQuery()) {
                List<StoredShadowResult> out = new ArrayList<>();
                while (row.next()) {
                    out.add(new StoredShadowResult(row.getString("gateway"), row.getString("route"), row.getString("service"),
                            row.getString("service_digest"), Sql.getInstant(row, "first_seen"),
                            Sql.getInstant(row, "updated_at"), row.getLong("comparisons"), row.getLong("matches"),
                            row.getString("summary")));
                }
                return out;
            }
        }
    }

    static int deleteUpdatedBefore(Connection connection, Instant olderThan) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM shadow_result WHERE updated_at < ?")) {
            Sql.setInstant(delete, 1, olderThan);
            return delete.executeUpdate();
        }
    }
}
