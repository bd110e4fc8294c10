package dev.strangler.store;

import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.LatencySketch;
import dev.strangler.core.catalog.ObservedParameters;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The {@code endpoint_catalog} table: one row per (gateway, method, template). A gateway's save
 * deletes its rows and inserts the new ones in one JDBC batch, inside the caller's transaction; a
 * reader sees either the old catalog or the new one. Status codes are {@code code:count} pairs
 * joined by commas, readable from psql and the same on both databases.
 */
final class EndpointCatalogTable {

    /** Longest template the column holds. */
    static final int TEMPLATE_MAX_LENGTH = 2048;

    private static final String COLUMNS = "gateway, method, template, request_count, status_codes, latency, "
            + "request_bytes, response_bytes, first_seen, last_seen, route, stage, declared, parameters";

    private EndpointCatalogTable() {
    }

    static void replace(Connection connection, String gateway, Iterable<EndpointSummary> endpoints)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM endpoint_catalog WHERE gateway = ?")) {
            delete.setString(1, gateway);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO endpoint_catalog (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (EndpointSummary endpoint : endpoints) {
                insert.setString(1, gateway);
                insert.setString(2, endpoint.key().method());
                insert.setString(3, endpoint.key().template());
                insert.setLong(4, endpoint.count());
                insert.setString(5, encodeStatusCodes(endpoint.statusCodes()));
                insert.setBytes(6, endpoint.latency().encode());
                insert.setLong(7, endpoint.requestBytes());
                insert.setLong(8, endpoint.responseBytes());
                setInstant(insert, 9, endpoint.firstSeen());
                setInstant(insert, 10, endpoint.lastSeen());
                if (endpoint.route().isPresent()) insert.setString(11, endpoint.route().get());
                else insert.setNull(11, Types.VARCHAR);
                Sql.setStage(insert, 12, endpoint.stage().orElse(null));
                insert.setBoolean(13, endpoint.declared());
                insert.setString(14, endpoint.parameters().encode());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Every row, by gateway then key, for the caller to sum; or one gateway's rows. */
    static List<EndpointSummary> select(Connection connection, Optional<String> gateway) throws SQLException {
        String where = gateway.isPresent() ? " WHERE gateway = ?" : "";
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM endpoint_catalog"
                + where + " ORDER BY gateway, template, method")) {
            if (gateway.isPresent()) select.setString(1, gateway.get());
            List<EndpointSummary> endpoints = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) endpoints.add(read(row));
            }
            return endpoints;
        }
    }

    private static EndpointSummary read(ResultSet row) throws SQLException {
        EndpointKey key = new EndpointKey(row.getString("method"), row.getString("template"));
        LatencySketch latency;
        try {
            latency = LatencySketch.decode(row.getBytes("latency"));
        } catch (IllegalArgumentException e) {
            throw new SQLException("latency of " + key + ": " + e.getMessage(), "22000", e);
        }
        return new EndpointSummary(key, row.getLong("request_count"),
                decodeStatusCodes(key, row.getString("status_codes")), latency, row.getLong("request_bytes"),
                row.getLong("response_bytes"), getInstant(row, "first_seen"), getInstant(row, "last_seen"),
                Optional.ofNullable(row.getString("route")), Optional.ofNullable(Sql.getStage(row, "stage")),
                row.getBoolean("declared"), parameters(key, row.getString("parameters")));
    }

    private static ObservedParameters parameters(EndpointKey key, String text) throws SQLException {
        try {
            return ObservedParameters.parse(text);
        } catch (RuntimeException e) {
            throw new SQLException("parameters of " + key + ": " + e.getMessage(), "22000", e);
        }
    }

    /** {@code 200:120,404:3}, by code; empty for none. */
    static String encodeStatusCodes(Map<Integer, Long> codes) {
        StringJoiner text = new StringJoiner(",");
        new TreeMap<>(codes).forEach((code, count) -> text.add(code + ":" + count));
        return text.toString();
    }

    static Map<Integer, Long> decodeStatusCodes(EndpointKey key, String text) throws SQLException {
        Map<Integer, Long> codes = new TreeMap<>();
        if (text.isBlank()) return codes;
        for (String pair : text.split(",")) {
            int colon = pair.indexOf(':');
            try {
                codes.put(Integer.parseInt(pair.substring(0, colon).strip()),
                        Long.parseLong(pair.substring(colon + 1).strip()));
            } catch (RuntimeException e) {
                throw new SQLException("status_codes of " + key + ": '" + pair + "' in '" + text
                        + "' (expected: code:count)", "22000", e);
            }
        }
        return codes;
    }

    private static void setInstant(PreparedStatement statement, int index, Optional<Instant> instant)
            throws SQLException {
        if (instant.isPresent()) Sql.setInstant(statement, index, instant.get());
        else statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static Optional<Instant> getInstant(ResultSet row, String column) throws SQLException {
        return Optional.ofNullable(row.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
