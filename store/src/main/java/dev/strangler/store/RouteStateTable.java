package dev.strangler.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code route_state} table: one row per route, replaced only by compare-and-set on its version. */
final class RouteStateTable {

    private static final String COLUMNS = "route, stage, percent, paused, file_stage, file_percent, entered_at, version";

    private RouteStateTable() {
    }

    /** False when the route already has a row; the caller must then roll back (PostgreSQL aborts the transaction). */
    static boolean insert(Connection connection, RouteState state) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO route_state (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 1)")) {
            insert.setString(1, state.route());
            setChangeableColumns(insert, 2, state);
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) return false;
            throw e;
        }
    }

    static boolean update(Connection connection, long expectedVersion, RouteState next) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE route_state SET stage = ?, percent = ?, paused = ?, file_stage = ?, file_percent = ?, "
                        + "entered_at = ?, version = ? WHERE route = ? AND version = ?")) {
            setChangeableColumns(update, 1, next);
            update.setLong(7, expectedVersion + 1);
            update.setString(8, next.route());
            update.setLong(9, expectedVersion);
            return update.executeUpdate() == 1;
        }
    }

    static List<RouteState> selectAll(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM route_state ORDER BY route")) {
            return read(select);
        }
    }

    static Optional<RouteState> select(Connection connection, String route) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM route_state WHERE route = ?")) {
            select.setString(1, route);
            return read(select).stream().findFirst();
        }
    }

    private static void setChangeableColumns(PreparedStatement statement, int first, RouteState state)
            throws SQLException {
        Sql.setStage(statement, first, state.stage());
        statement.setDouble(first + 1, state.percent());
        statement.setBoolean(first + 2, state.paused());
        Sql.setStage(statement, first + 3, state.fileStage());
        statement.setDouble(first + 4, state.filePercent());
        Sql.setInstant(statement, first + 5, state.enteredAt());
    }

    private static List<RouteState> read(PreparedStatement select) throws SQLException {
        List<RouteState> states = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                states.add(new RouteState(row.getString("route"), Sql.getStage(row, "stage"), row.getDouble("percent"),
                        row.getBoolean("paused"), Sql.getStage(row, "file_stage"), row.getDouble("file_percent"),
                        Sql.getInstant(row, "entered_at"), row.getLong("version")));
            }
        }
        return states;
    }
}
