package dev.strangler.core.catalog;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/**
 * One endpoint of the API: a method and a path template such as {@code /users/{userId}/orders}.
 * Ordered by template, then method, which is how people read an API.
 */
public record EndpointKey(String method, String template) implements Comparable<EndpointKey> {
    private static final Comparator<EndpointKey> ORDER = Comparator.comparing(EndpointKey::template)
            .thenComparing(EndpointKey::method);

    public EndpointKey {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        method = method.toUpperCase(Locale.ROOT);
        if (!template.startsWith("/")) throw new IllegalArgumentException("template: " + template + " (expected: starting with /)");
    }

    @Override
    public int compareTo(EndpointKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
