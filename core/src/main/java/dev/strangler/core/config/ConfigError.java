package dev.strangler.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong with a config file, located precisely enough to fix it without searching.
 *
 * @param file    the file, as given by the operator
 * @param line    1-based line of the offending key or value; 0 when the problem is the whole file
 * @param field   dotted path of the field, such as {@code routes[2].match.path}; empty for the whole file
 * @param message what is wrong and what would be right
 */
public record ConfigError(Path file, int line, String field, String message) {

    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line: field: message}, the shape editors and terminals turn into links. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(file);
        if (line > 0) s.append(':').append(line);
        s.append(": ");
        if (!field.isEmpty()) s.append(field).append(": ");
        return s.append(message).toString();
    }
}
