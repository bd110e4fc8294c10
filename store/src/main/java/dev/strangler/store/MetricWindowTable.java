package dev.strangler.store;

import dev.strangler.core.plan.SideSample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The {@code metric_window} table: one row per (gateway, route, start). A second report of the same
 * key is merged in Java (read for update, add, write back), because the sample concatenation with
 * its limit has no portable SQL form. Samples are decimal text: {@link Double#toString} round-trips
 * exactly.
 */
final class MetricWindowTable {

    private static final String COLUMNS = "gateway, route, window_start, window_end, monolith_requests, "
            + "monolith_errors, monolith_latencies, service_requests, service_errors, service_latencies, "
            + "shadow_compared, shadow_matched, monolith_hard_failures, service_hard_failures, fallbacks";

    /** The most (route, since) pairs one query of {@link #selectEachSince} asks for. */
    static final int ROUTES_PER_QUERY = 512;

    /** {@link #selectEachSince}'s statements by their number of pairs: a few powers of two. */
    private static final Map<Integer, String> SELECT_EACH_SINCE = new java.util.concurrent.ConcurrentHashMap<>();

    private MetricWindowTable() {
    }

    /**
     * Inserts the window or adds it to the stored one of the same key.
     *
     * @return false when another writer inserted the same key meanwhile; the caller rolls back and retries
     */
    static boolean add(Connection connection, MetricWindow window) throws SQLException {
        List<MetricWindow> stored = select(connection, "SELECT " + COLUMNS + " FROM metric_window "
                + "WHERE gateway = ? AND route = ? AND window_start = ? FOR UPDATE", window.gateway(), window.route(),
                window.start());
        if (!stored.isEmpty()) {
            MetricWindow merged = stored.getFirst().plus(window);
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM metric_window WHERE gateway = ? AND route = ? AND window_start = ?")) {
                delete.setString(1, window.gateway());
                delete.setString(2, window.route());
                Sql.setInstant(delete, 3, window.start());
                delete.executeUpdate();
            }
            window = merged;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO metric_window (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, window.gateway());
            insert.setString(2, window.route());
            Sql.setInstant(insert, 3, window.start());
            Sql.setInstant(insert, 4, window.end());
            setSide(insert, 5, window.monolith());
            setSide(insert, 8, window.service());
            insert.setLong(11, window.shadowCompared());
            insert.setLong(12, window.shadowMatched());
            insert.setLong(13, window.monolith().hardFailures());
            insert.setLong(14, window.service().hardFailures());
            insert.setLong(15, window.fallbacks());
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) return false;
            throw e;
        }
    }

    static List<MetricWindow> selectSince(Connection connection, String route, Instant since) throws SQLException {
        return select(connection, "SELECT " + COLUMNS + " FROM metric_window WHERE route = ? AND window_start >= ? "
                + "ORDER BY window_start, gateway", route, since);
    }

    /**
     * Each route's windows from its own {@code since}, by route: the asked (route, since) pairs are a
     * {@code VALUES} table joined to the windows on the {@code (route, window_start)} index, so every
     * route reads only its own range. Pairs go {@value #ROUTES_PER_QUERY} at most per query, each
     * query padded with pairs that match nothing to a power of two, so a tick's statements come in a
     * few fixed shapes that both databases prepare once and reuse.
     */
    static Map<String, List<MetricWindow>> selectEachSince(Connection connection, Map<String, Instant> sinceByRoute)
            throws SQLException {
        Map<String, List<MetricWindow>> byRoute = new LinkedHashMap<>();
        for (String route : sinceByRoute.keySet()) byRoute.put(route, new ArrayList<>());
        List<Map.Entry<String, Instant>> asked = List.copyOf(sinceByRoute.entrySet());
        for (int from = 0; from < asked.size(); from += ROUTES_PER_QUERY) {
            List<Map.Entry<String, Instant>> chunk = asked.subList(from, Math.min(asked.size(), from + ROUTES_PER_QUERY));
            int rows = Sql.paddedCount(chunk.size());
            try (PreparedStatement select = connection.prepareStatement(SELECT_EACH_SINCE.computeIfAbsent(rows,
                    MetricWindowTable::selectEachSinceSql))) {
                for (int i = 0; i < rows; i++) {
                    if (i < chunk.size()) {
                        select.setString(2 * i + 1, chunk.get(i).getKey());
                        Sql.setInstant(select, 2 * i + 2, chunk.get(i).getValue());
                    } else {
                        select.setNull(2 * i + 1, Types.VARCHAR);
                        select.setNull(2 * i + 2, Types.TIMESTAMP_WITH_TIMEZONE);
                    }
                }
                for (MetricWindow w : read(select)) byRoute.get(w.route()).add(w);
            }
        }
        return byRoute;
    }

    private static String selectEachSinceSql(int pairs) {
        String pair = "(CAST(? AS VARCHAR(255)), CAST(? AS TIMESTAMP WITH TIME ZONE))";
        return "SELECT " + COLUMNS.replaceAll("(\\w+)", "w.$1") + " FROM (VALUES "
                + String.join(", ", Collections.nCopies(pairs, pair)) + ") AS asked (route, since) "
                + "JOIN metric_window w ON w.route = asked.route AND w.window_start >= asked.since "
                + "ORDER BY w.window_start, w.gateway, w.route";
    }

    static List<MetricWindow> selectAllSince(Connection connection, Instant since) throws SQLException {
        return select(connection, "SELECT " + COLUMNS + " FROM metric_window WHERE window_start >= ? "
                + "ORDER BY window_start, gateway, route", since);
    }

    static int deleteStartingBefore(Connection connection, Instant olderThan) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM metric_window WHERE window_start < ?")) {
            Sql.setInstant(delete, 1, olderThan);
            return delete.executeUpdate();
        }
    }

    /** Runs a select whose parameters are strings then one instant. */
    private static List<MetricWindow> select(Connection connection, String sql, Object... parameters)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof Instant instant) Sql.setInstant(select, i + 1, instant);
                else select.setString(i + 1, (String) parameters[i]);
            }
            return read(select);
        }
    }

    private static List<MetricWindow> read(PreparedStatement select) throws SQLException {
        List<MetricWindow> windows = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                windows.add(new MetricWindow(row.getString("gateway"), row.getString("route"),
                        Sql.getInstant(row, "window_start"), Sql.getInstant(row, "window_end"),
                        side(row, "monolith_"), side(row, "service_"),
                        row.getLong("shadow_compared"), row.getLong("shadow_matched"), row.getLong("fallbacks")));
            }
        }
        return windows;
    }

    private static void setSide(PreparedStatement statement, int first, SideSample side) throws SQLException {
        statement.setLong(first, side.requests());
        statement.setLong(first + 1, side.errors());
        statement.setString(first + 2, LatencyText.format(side.latenciesMillis()));
    }

    private static SideSample side(ResultSet row, String prefix) throws SQLException {
        return LatencyText.parse(row.getString(prefix + "latencies")).build(row.getLong(prefix + "requests"),
                row.getLong(prefix + "errors"), row.getLong(prefix + "hard_failures"));
    }
}
