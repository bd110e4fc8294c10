package dev.strangler.store;

import dev.strangler.core.stage.Stage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** How the store's values map to columns the same way on H2 and PostgreSQL: instants as TIMESTAMP WITH TIME ZONE in UTC, stages by config name. */
final class Sql {

    /** SQLSTATE of a unique (primary key) violation, the same on H2 and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";

    private Sql() {
    }

    /** A unit of work on one connection, inside the transaction the store opened for it. */
    @FunctionalInterface
    interface Work<T> {
        T run(java.sql.Connection connection) throws SQLException;
    }

    /** The fewest values a batched statement carries (padded): small batches share one shape. */
    static final int MIN_PADDED_COUNT = 16;

    /**
     * How many values a statement for {@code count} values (at least 1) carries, padded with nulls to
     * a power of two from {@value #MIN_PADDED_COUNT}: a few statement shapes for the databases to
     * prepare and cache, whatever the number asked.
     */
    static int paddedCount(int count) {
        return Math.max(MIN_PADDED_COUNT, Integer.highestOneBit(count - 1) << 1);
    }

    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    static Instant getInstant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }

    static void setStage(PreparedStatement statement, int index, Stage stage) throws SQLException {
        if (stage == null) statement.setNull(index, Types.VARCHAR);
        else statement.setString(index, stage.configName());
    }

    /** Null for a null column; a stage name this version does not know is a corrupt row, not a null. */
    static Stage getStage(ResultSet row, String column) throws SQLException {
        String name = row.getString(column);
        if (name == null) return null;
        Optional<Stage> stage = Stage.fromConfigName(name);
        return stage.orElseThrow(() -> new SQLException(column + ": unknown stage '" + name + "' in the store "
                + "(written by a newer Strangler?)", "22000"));
    }
}
