package dev.strangler.core.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rules about the addresses a config names (its listeners, its backends, its store) that only
 * show at run time otherwise: two listeners on one socket (Vert.x shares it and answers user
 * requests with the admin API now and then), a backend that is Strangler itself (every request
 * loops), a port the driver refuses. Judged on the text alone: no DNS lookups.
 */
final class Addresses {
    private static final Pattern POSTGRES_HOSTS = Pattern.compile("^jdbc:postgresql://([^/?]*)");

    private Addresses() {}

    /**
     * Whether two listen addresses would take one socket: the same port (not 0, which asks for a
     * free one) on the same host, or on a wildcard (which takes every address of the machine), or
     * {@code localhost} and a loopback address (which it resolves to).
     */
    static boolean sameSocket(HostPort a, HostPort b) {
        if (a.port() == 0 || a.port() != b.port()) return false;
        String x = a.host().toLowerCase(Locale.ROOT);
        String y = b.host().toLowerCase(Locale.ROOT);
        return x.equals(y) || a.isWildcard() || b.isWildcard() || isLocalhostPair(a, b);
    }

    /**
     * Whether a backend at {@code backend} is Strangler's own listener {@code own}: as
     * {@link #sameSocket}, except that a wildcard listener is only known to answer on loopback
     * addresses (any other name may be another machine).
     */
    static boolean isOwnAddress(HostPort own, HostPort backend) {
        if (own.port() == 0 || own.port() != backend.port()) return false;
        String x = own.host().toLowerCase(Locale.ROOT);
        String y = backend.host().toLowerCase(Locale.ROOT);
        return x.equals(y) || own.isWildcard() && (backend.isLoopback() || backend.isWildcard()) || isLocalhostPair(own, backend);
    }

    /** A port outside 1..65535 among a PostgreSQL URL's hosts ({@code jdbc:postgresql://h1:5432,h2:5433/db}). */
    static Optional<String> postgresPortProblem(String url) {
        var m = POSTGRES_HOSTS.matcher(url);
        if (!m.find()) return Optional.empty();
        for (String host : m.group(1).split(",")) {
            int colon = host.lastIndexOf(':');
            if (colon < 0 || host.endsWith("]")) continue; // no port: 5432
            String port = host.substring(colon + 1);
            boolean valid = port.matches("\\d{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
            if (!valid) return Optional.of("port \"" + port + "\" of " + host.substring(0, colon) + " is not 1..65535");
        }
        return Optional.empty();
    }

    private static boolean isLocalhostPair(HostPort a, HostPort b) {
        return a.isLoopback() && b.isLoopback() && (a.host().equalsIgnoreCase("localhost") || b.host().equalsIgnoreCase("localhost"));
    }
}
