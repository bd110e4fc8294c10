package dev.strangler.core.routing;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a route claims: methods (empty means all), a path pattern, an optional host and header
 * conditions (exact values). Host and header names compare case-insensitively.
 */
public record RouteMatch(Set<String> methods, PathPattern path, Optional<String> host, Map<String, String> headers) {
    public RouteMatch {
        TreeSet<String> upper = new TreeSet<>(methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList());
        // HEAD is GET without the body (RFC 9110 9.3.2): a route that serves GET serves HEAD too,
        // otherwise health checks and link checkers would quietly keep hitting the monolith.
        if (upper.contains("GET")) upper.add("HEAD");
        methods = Set.copyOf(upper);
        Objects.requireNonNull(path, "path");
        host = host.map(h -> h.toLowerCase(Locale.ROOT));
        TreeMap<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        headers = Map.copyOf(lower);
    }

    public static RouteMatch path(String pattern) {
        return new RouteMatch(Set.of(), PathPattern.parse(pattern), Optional.empty(), Map.of());
    }

    public RouteMatch withMethods(String... newMethods) {
        return new RouteMatch(Set.of(newMethods), path, host, headers);
    }

    public RouteMatch withHost(String newHost) {
        return new RouteMatch(methods, path, Optional.of(newHost), headers);
    }

    public RouteMatch withHeader(String name, String value) {
        Map<String, String> h = new TreeMap<>(headers);
        h.put(name.toLowerCase(Locale.ROOT), value);
        return new RouteMatch(methods, path, host, h);
    }

    /** Whether the conditions besides the path hold for a request. */
    boolean conditionsHold(RequestFacts request) {
        if (!methods.isEmpty() && !methods.contains(request.method())) return false;
        if (host.isPresent() && !host.get().equals(request.hostWithoutPort())) return false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            Optional<String> value = request.header(h.getKey());
            if (value.isEmpty() || !value.get().equals(h.getValue())) return false;
        }
        return true;
    }

    /** Whether some request could satisfy the conditions of both (paths aside). */
    boolean conditionsOverlap(RouteMatch other) {
        if (!methods.isEmpty() && !other.methods.isEmpty() && methods.stream().noneMatch(other.methods::contains)) return false;
        if (host.isPresent() && other.host.isPresent() && !host.equals(other.host)) return false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String theirs = other.headers.get(h.getKey());
            if (theirs != null && !theirs.equals(h.getValue())) return false;
        }
        return true;
    }

    /**
     * Ranks conditions among routes of the same path shape: a host beats none, more headers beat
     * fewer, a method list beats all methods. Higher is more specific.
     */
    int conditionRank() {
        return (host.isPresent() ? 1 << 20 : 0) + (headers.size() << 1) + (methods.isEmpty() ? 0 : 1);
    }
}
