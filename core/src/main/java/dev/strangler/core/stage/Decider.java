package dev.strangler.core.stage;

import dev.strangler.core.routing.RequestFacts;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteTable;

import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Turns a request into a {@link Decision}: match, then apply the route's stage. Pure and
 * thread-safe given a thread-safe random source, so the gateway can call it on any event loop.
 *
 * <p>A canary request without its sticky key (no header, no cookie) is drawn at random with the
 * route's percent, so the share of such users still holds; they simply are not sticky.
 */
public final class Decider {
    private final RandomGenerator random;

    /** @param random source of draws for canary requests that carry no sticky key; injected for deterministic tests */
    public Decider(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public Decision decide(RouteTable table, RequestFacts request) {
        Optional<Route> matched = table.match(request);
        return matched.isEmpty() ? Decision.UNROUTED : decide(matched.get(), request);
    }

    public Decision decide(Route route, RequestFacts request) {
        Optional<Route> r = Optional.of(route);
        return switch (route.stage()) {
            case MONOLITH, SHADOW -> new Decision(r, Target.MONOLITH, false);
            case CANARY -> new Decision(r, isInCanary(route, request) ? Target.SERVICE : Target.MONOLITH, false);
            case LIVE -> new Decision(r, Target.SERVICE, route.fallback().allows(request.method()));
            case RETIRED -> new Decision(r, Target.SERVICE, false);
        };
    }

    private boolean isInCanary(Route route, RequestFacts request) {
        int threshold = StickyHash.threshold(route.percent());
        if (threshold <= 0) return false;
        if (threshold >= StickyHash.BUCKETS) return true;
        Optional<String> key = stickyValue(route.sticky(), request);
        int bucket = key.isPresent()
                ? StickyHash.bucket(route.service(), key.get())
                : random.nextInt(StickyHash.BUCKETS);
        return bucket < threshold;
    }

    static Optional<String> stickyValue(StickyKey sticky, RequestFacts request) {
        return switch (sticky) {
            case StickyKey.Header h -> request.header(h.name()).filter(v -> !v.isEmpty());
            case StickyKey.Cookie c -> request.header("cookie").flatMap(v -> Cookies.value(v, c.name()));
            case StickyKey.ClientIp ip -> Optional.of(request.clientAddress());
        };
    }
}
