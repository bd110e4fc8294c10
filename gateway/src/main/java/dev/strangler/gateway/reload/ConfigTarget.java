package dev.strangler.gateway.reload;

import dev.strangler.core.config.GatewayConfig;

/**
 * What a {@link ConfigWatcher} keeps on the file: the gateway itself, or something in front of it
 * that combines the file with runtime state (where each route is now) before the gateway sees it.
 */
public interface ConfigTarget {
    /** The file's config as last applied: edits are compared with it. */
    GatewayConfig config();

    /** Applies a new, validated file config. Called on the watcher's worker thread: may block. */
    void apply(GatewayConfig next);

    /**
     * The config being served now: the file's, with each route at its runtime stage where the
     * target combines the file with runtime state. What reload warnings are judged on.
     */
    default GatewayConfig serving() {
        return config();
    }
}
