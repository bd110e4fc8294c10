package dev.strangler.core.routing;

/** Two routes that can match the same request with the same specificity: neither can win, so the config is refused. */
public record RouteConflict(int firstIndex, int secondIndex, String message) {}
