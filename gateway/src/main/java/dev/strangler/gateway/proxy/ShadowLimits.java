package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.DiffOptions;
import dev.strangler.core.diff.ResponseDiffer;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.ShadowSettings;

import java.util.HashMap;
import java.util.Map;

/**
 * Per event loop: how many shadow copies each route has in flight (bounded, so a slow or hung
 * service can only ever cost a fixed number of connections), and each route's differ, built once
 * per settings. Confined to its event loop, so plain maps suffice.
 */
final class ShadowLimits {
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<ShadowSettings, ResponseDiffer> differs = new HashMap<>();

    boolean tryAcquire(Route route) {
        int now = inFlight.getOrDefault(route.name(), 0);
        if (now >= route.shadow().maxConcurrent()) return false;
        inFlight.put(route.name(), now + 1);
        return true;
    }

    void release(Route route) {
        inFlight.computeIfPresent(route.name(), (k, v) -> v <= 1 ? null : v - 1);
    }

    ResponseDiffer differ(Route route) {
        return differs.computeIfAbsent(route.shadow(), s -> new ResponseDiffer(
                DiffOptions.DEFAULTS.withIgnorePaths(s.ignorePaths()).withMaxBodyBytes(s.maxBodyBytes())));
    }
}
