package dev.strangler.core.config;

import java.util.Objects;
import java.util.Optional;

/** A listen address such as {@code 0.0.0.0:8080} or {@code [::1]:9090}. Port 0 asks the OS for a free one. */
public record HostPort(String host, int port) {
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }

    /** Parses {@code host:port}; empty when the text is not of that form. */
    public static Optional<HostPort> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) return Optional.empty();
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try {
            int port = Integer.parseInt(t.substring(colon + 1));
            if (port < 0 || port > 65535) return Optional.empty();
            return Optional.of(new HostPort(host, port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean isLoopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** {@code 0.0.0.0} or {@code ::}: every address of the machine, loopback included. */
    public boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("::");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
