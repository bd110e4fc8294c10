package dev.strangler.core.stage;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a route is in its migration, in order. See DESIGN.md's stage table. */
public enum Stage {
    /** The monolith answers; traffic is only measured. */
    MONOLITH,
    /** The monolith answers; a copy goes to the service and responses are diffed. */
    SHADOW,
    /** A sticky share of users is served by the service, the rest by the monolith. */
    CANARY,
    /** The service answers; safe requests fall back to the monolith when the service cannot be reached. */
    LIVE,
    /** The service answers with no fallback: the monolith's code can be deleted. */
    RETIRED;

    /** Lower-cased once: every access-log line and metric names it. */
    private final String configName = name().toLowerCase(Locale.ROOT);

    /** The name used in config files, the API and metrics. */
    public String configName() {
        return configName;
    }

    /** The stage the config file's word names (exact case), if any. */
    public static Optional<Stage> fromConfigName(String name) {
        return Arrays.stream(values()).filter(s -> s.configName().equals(name)).findFirst();
    }
}
