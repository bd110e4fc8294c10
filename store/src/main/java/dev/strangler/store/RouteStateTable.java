package dev.strangler.store;

import dev.strangler.core.stage.BucketFunction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The {@code route_state} table: one row per route, replaced only by compare-and-set on its version. */
final class RouteStateTable {

    private static final String COLUMNS = "route, stage, percent, paused, file_stage, file_percent, entered_at, version, "
            + "held_until, held_service, automatic_rollbacks, removed_at, sticky_hash, step_service, step_service_digest";

    private RouteStateTable() {
    }

    /** False when the route already has a row; the caller must then roll back (PostgreSQL aborts the transaction). */
    static boolean insert(Connection connection, RouteState state) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO route_state (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, state.route());
            setChangeableColumns(insert, 2, state);
            setHoldColumns(insert, 8, state);
            insert.setString(12, state.stickyHash().configName());
            setStepServiceColumns(insert, 13, state);
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
                        + "entered_at = ?, version = ?, held_until = ?, held_service = ?, automatic_rollbacks = ?, removed_at = ?, sticky_hash = ?, "
                        + "step_service = ?, step_service_digest = ? WHERE route = ? AND version = ?")) {
            setChangeableColumns(update, 1, next);
            update.setLong(7, expectedVersion + 1);
            setHoldColumns(update, 8, next);
            update.setString(12, next.stickyHash().configName());
            setStepServiceColumns(update, 13, next);
            update.setString(15, next.route());
            update.setLong(16, expectedVersion);
            return update.executeUpdate() == 1;
        }
    }

    /** The most routes one statement of {@link #lockVersions} names. */
    static final int ROUTES_PER_LOCK = 512;

    /**
     * The stored version of each named route that has a state, its row locked until the transaction
     * ends: a compare-and-set of one of them in another transaction waits for this one, and one that
     * committed first is what this reads (PostgreSQL re-reads a row it waited for; H2 locks the
     * committed row). Rows are locked in route order, so two such transactions never deadlock.
     */
    static Map<String, Long> lockVersions(Connection connection, Collection<String> routes) throws SQLException {
        List<String> sorted = new ArrayList<>(new TreeSet<>(routes));
        Map<String, Long> versions = new HashMap<>();
        for (int from = 0; from < sorted.size(); from += ROUTES_PER_LOCK) {
            List<String> chunk = sorted.subList(from, Math.min(sorted.size(), from + ROUTES_PER_LOCK));
            int names = Sql.paddedCount(chunk.size());
            try (PreparedStatement select = connection.prepareStatement("SELECT route, version FROM route_state WHERE route IN ("
                    + String.join(", ", Collections.nCopies(names, "?")) + ") ORDER BY route FOR UPDATE")) {
                for (int i = 0; i < names; i++) {
                    if (i < chunk.size()) select.setString(i + 1, chunk.get(i));
                    else select.setNull(i + 1, Types.VARCHAR);
                }
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) versions.put(row.getString(1), row.getLong(2));
                }
            }
        }
        return versions;
    }

    static List<RouteState> selectAll(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM route_state ORDER BY route")) {
            return read(select);
        }
    }

    /** One aggregate row, on H2 and PostgreSQL alike (PostgreSQL sums BIGINT as NUMERIC: read back as a long). */
    static RouteStatesStamp stamp(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM route_state");
             ResultSet row = select.executeQuery()) {
            row.next();
            return new RouteStatesStamp(row.getLong(1), row.getLong(2));
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

    private static void setHoldColumns(PreparedStatement statement, int first, RouteState state) throws SQLException {
        Optional<RouteState.Hold> hold = state.hold();
        if (hold.isPresent()) {
            Sql.setInstant(statement, first, hold.get().until());
            statement.setString(first + 1, hold.get().service());
        } else {
            statement.setNull(first, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setNull(first + 1, Types.VARCHAR);
        }
        statement.setInt(first + 2, state.automaticRollbacks());
        if (state.removedAt().isPresent()) Sql.setInstant(statement, first + 3, state.removedAt().get());
        else statement.setNull(first + 3, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static void setStepServiceColumns(PreparedStatement statement, int first, RouteState state) throws SQLException {
        statement.setString(first, state.stepService().map(RouteState.StepService::name).orElse(null));
        statement.setString(first + 1, state.stepService().map(RouteState.StepService::digest).orElse(null));
    }

    private static List<RouteState> read(PreparedStatement select) throws SQLException {
        List<RouteState> states = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                states.add(new RouteState(row.getString("route"), Sql.getStage(row, "stage"), row.getDouble("percent"),
                        row.getBoolean("paused"), Sql.getStage(row, "file_stage"), row.getDouble("file_percent"),
                        Sql.getInstant(row, "entered_at"), row.getLong("version"), hold(row), row.getInt("automatic_rollbacks"),
                        optionalInstant(row, "removed_at"), stickyHash(row), stepService(row)));
            }
        }
        return states;
    }

    private static BucketFunction stickyHash(ResultSet row) throws SQLException {
        String name = row.getString("sticky_hash");
        return BucketFunction.fromConfigName(name).orElseThrow(() -> new SQLException("sticky_hash: unknown bucket function '"
                + name + "' in the store (expected: nginx or legacy); was it written by a newer Strangler?"));
    }

    private static Optional<RouteState.StepService> stepService(ResultSet row) throws SQLException {
        String name = row.getString("step_service");
        String digest = row.getString("step_service_digest");
        return name == null || digest == null ? Optional.empty() : Optional.of(new RouteState.StepService(name, digest));
    }

    private static Optional<RouteState.Hold> hold(ResultSet row) throws SQLException {
        Optional<java.time.Instant> until = optionalInstant(row, "held_until");
        String service = row.getString("held_service");
        return until.map(u -> new RouteState.Hold(u, service == null ? "" : service));
    }

    private static Optional<java.time.Instant> optionalInstant(ResultSet row, String column) throws SQLException {
        java.time.OffsetDateTime t = row.getObject(column, java.time.OffsetDateTime.class);
        return Optional.ofNullable(t).map(java.time.OffsetDateTime::toInstant);
    }
}
