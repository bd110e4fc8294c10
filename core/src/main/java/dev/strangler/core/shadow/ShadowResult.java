package dev.strangler.core.shadow;

import java.util.Objects;

/**
 * The summary of one {@link ShadowKey}: a route's results against one service definition.
 *
 * @param key      the route, service and service digest
 * @param summary  what was recorded for it
 */
public record ShadowResult(ShadowKey key, RouteShadowSummary summary) {
    public ShadowResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(summary, "summary");
    }
}
