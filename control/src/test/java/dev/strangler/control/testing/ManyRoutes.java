package dev.strangler.control.testing;

import dev.strangler.core.config.ConfigException;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A config of many disjoint routes, {@code r0}, {@code r1}, ... each on a path of its own
 * ({@code /api/rN/**}) and all on one service, {@value #SERVICE}: what the controller's tests over many
 * routes and bench/jmh's {@code ControllerTickCost} judge by the hundred or the thousand. Each route's
 * stage and plan are lines of YAML that depend on its index.
 */
public final class ManyRoutes {
    public static final String SERVICE = "svc";

    private ManyRoutes() {}

    /**
     * The config file, parsed as {@code strangler.yaml}.
     *
     * @param plan each route's lines after {@code service:} (stage, percent, steps, gates...), indented by
     *             four spaces and each ending with a newline
     */
    public static GatewayConfig config(int routes, IntFunction<String> plan) {
        StringBuilder yaml = new StringBuilder("""
                monolith: { url: "http://127.0.0.1:1" }
                services:
                  %s: { url: "http://127.0.0.1:2" }
                routes:
                """.formatted(SERVICE));
        for (int i = 0; i < routes; i++) {
            yaml.append("  - name: r").append(i).append('\n')
                    .append("    match: { path: \"/api/r").append(i).append("/**\" }\n")
                    .append("    service: ").append(SERVICE).append('\n')
                    .append(plan.apply(i));
        }
        try {
            return ConfigLoader.parse(yaml.toString(), Path.of("strangler.yaml"), Map.of());
        } catch (ConfigException e) {
            throw new IllegalArgumentException("plan: the routes' lines do not parse: " + e.getMessage(), e);
        }
    }
}
