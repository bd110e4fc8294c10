package dev.strangler.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin port: health, metrics, the JSON API (bearer token) and the dashboard.
 *
 * @param allowedHosts host names (lower case, without port) the admin also answers to besides its
 *                     listen address and, on loopback or a wildcard address, {@code localhost},
 *                     {@code 127.0.0.1} and {@code [::1]}: e.g. the name of a reverse proxy in front of it
 */
public record AdminSettings(HostPort listen, Optional<String> token, List<String> allowedHosts) {
    public AdminSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(token, "token");
        allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** No extra host names. */
    public AdminSettings(HostPort listen, Optional<String> token) {
        this(listen, token, List.of());
    }

    @Override
    public String toString() {
        // The token is a secret: never let it reach a log line through toString.
        return "AdminSettings[listen=" + listen + ", token=" + (token.isPresent() ? "<redacted>" : "<none>")
                + ", allowedHosts=" + allowedHosts + "]";
    }
}
