package dev.strangler.store;

import dev.strangler.core.coupling.Affinity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code endpoint_coupling} table: one gateway's {@link Affinity} matrix as one row per counter
 * (the session total, each group's sessions, each pair's). A save deletes the gateway's rows and
 * inserts the new ones in one batch inside the caller's transaction; a read of several gateways
 * adds them up ({@link Affinity#plus}).
 */
final class EndpointCouplingTable {
    /**
     * Longest group name saved (a group is a short path prefix); longer ones are left out, so that
     * a primary-key entry stays within PostgreSQL's B-tree limit (about 2.7 KB) with two names in it.
     */
    static final int GROUP_MAX_LENGTH = 512;
    private static final String NONE = "";

    private EndpointCouplingTable() {
    }

    static void replace(Connection connection, String gateway, Affinity affinity) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM endpoint_coupling WHERE gateway = ?")) {
            delete.setString(1, gateway);
            delete.executeUpdate();
        }
        if (affinity.isEmpty() && affinity.groups().isEmpty()) return;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO endpoint_coupling (gateway, group_a, group_b, sessions) VALUES (?, ?, ?, ?)")) {
            add(insert, gateway, NONE, NONE, affinity.sessions());
            for (Map.Entry<String, Long> g : affinity.groups().entrySet())
                if (fits(g.getKey())) add(insert, gateway, g.getKey(), NONE, g.getValue());
            for (Map.Entry<Affinity.Pair, Long> p : affinity.pairs().entrySet())
                if (fits(p.getKey().a()) && fits(p.getKey().b())) add(insert, gateway, p.getKey().a(), p.getKey().b(), p.getValue());
            insert.executeBatch();
        }
    }

    private static boolean fits(String group) {
        return !group.isEmpty() && group.length() <= GROUP_MAX_LENGTH;
    }

    private static void add(PreparedStatement insert, String gateway, String a, String b, long sessions) throws SQLException {
        insert.setString(1, gateway);
        insert.setString(2, a);
        insert.setString(3, b);
        insert.setLong(4, sessions);
        insert.addBatch();
    }

    /** The sum over every gateway, or one gateway's matrix. */
    static Affinity select(Connection connection, Optional<String> gateway) throws SQLException {
        String where = gateway.isPresent() ? " WHERE gateway = ?" : "";
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT group_a, group_b, sessions FROM endpoint_coupling" + where)) {
            if (gateway.isPresent()) select.setString(1, gateway.get());
            long sessions = 0;
            Map<String, Long> groups = new TreeMap<>();
            Map<Affinity.Pair, Long> pairs = new TreeMap<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String a = row.getString(1);
                    String b = row.getString(2);
                    long n = row.getLong(3);
                    if (a.isEmpty()) sessions += n;
                    else if (b.isEmpty()) groups.merge(a, n, Long::sum);
                    else pairs.merge(Affinity.Pair.of(a, b), n, Long::sum);
                }
            }
            return new Affinity(sessions, groups, pairs);
        }
    }
}
