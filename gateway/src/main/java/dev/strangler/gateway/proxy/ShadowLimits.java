package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.ResponseDiffer;
import dev.strangler.core.routing.Route;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.stage.ShadowSettings;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per event loop: how many shadow copies each route has in flight (bounded, so a slow or hung
 * service can only ever cost a fixed number of connections), and each route's differ, built once
 * per settings. Confined to its event loop, so plain maps suffice.
 */
final class ShadowLimits {
    /** After a copy could not connect, copies of that route are skipped this long (then one tries again). */
    static final long DOWN_PAUSE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, Long> downUntil = new HashMap<>();
    /**
     * By identity: a route's settings are one object per loaded config, so a lookup per copy is a pointer
     * comparison instead of hashing and comparing the whole record (its path and name lists) each time.
     */
    private final Map<ShadowSettings, ResponseDiffer> differs = new IdentityHashMap<>();

    /**
     * Takes a slot for a copy of {@code route} (empty), or says why not: {@link DropReason#SERVICE_DOWN}
     * while the service recently refused connections (a connect attempt per request would cost the
     * user's event loop for nothing), {@link DropReason#QUEUE_FULL} when the route's copies in flight
     * are at the limit.
     */
    Optional<DropReason> tryAcquire(Route route) {
        Long until = downUntil.get(route.name());
        if (until != null) {
            if (System.nanoTime() - until < 0) return Optional.of(DropReason.SERVICE_DOWN);
            downUntil.remove(route.name());
        }
        int now = inFlight.getOrDefault(route.name(), 0);
        if (now >= route.shadow().maxConcurrent()) return Optional.of(DropReason.QUEUE_FULL);
        inFlight.put(route.name(), now + 1);
        return Optional.empty();
    }

    /** The service could not be connected to: pause this route's copies for a moment. */
    void markDown(Route route) {
        downUntil.put(route.name(), System.nanoTime() + DOWN_PAUSE_NANOS);
    }

    void release(Route route) {
        inFlight.computeIfPresent(route.name(), (k, v) -> v <= 1 ? null : v - 1);
    }

    ResponseDiffer differ(Route route) {
        // Keyed by settings, so each reload adds one; start over rather than keep the differs of
        // settings no route has any more.
        if (differs.size() >= 256 && !differs.containsKey(route.shadow())) differs.clear();
        return differs.computeIfAbsent(route.shadow(), s -> new ResponseDiffer(s.diffOptions()));
    }
}
