package dev.strangler.core.config;

import java.util.Objects;
import java.util.Optional;

/** The admin port: health, metrics, the JSON API (bearer token) and the dashboard. */
public record AdminSettings(HostPort listen, Optional<String> token) {
    public AdminSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        // The token is a secret: never let it reach a log line through toString.
        return "AdminSettings[listen=" + listen + ", token=" + (token.isPresent() ? "<redacted>" : "<none>") + "]";
    }
}
