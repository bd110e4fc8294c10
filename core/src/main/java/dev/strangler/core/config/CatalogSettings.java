package dev.strangler.core.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code catalog} section: whether the gateway learns the endpoint catalog from its traffic, and
 * the monolith's OpenAPI document whose endpoints seed it (so endpoints never called show up too).
 *
 * @param openapi resolved against the config file's directory; read at start
 */
public record CatalogSettings(boolean enabled, Optional<Path> openapi) {
    public CatalogSettings {
        Objects.requireNonNull(openapi, "openapi");
    }
}
