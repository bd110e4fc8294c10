package dev.strangler.core.stage;

import dev.strangler.core.http.RequestRules;
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
 *
 * <h2>Fallback</h2>
 * Whenever the service is to answer and the monolith still has the route's code ({@code canary}
 * users sent to the service, {@code live}), the route's fallback rule decides whether a request the
 * service failed before receiving anything is retried on the monolith: a canary user is better
 * served by the old code than by an error, and the failure still counts against the service.
 * {@code retired} never falls back: the monolith's code may be gone.
 *
 * <h2>Upgrades</h2>
 * A request asking for a protocol upgrade ({@code Upgrade} named in {@code Connection}) becomes a
 * tunnel to the backend chosen here, once, at the handshake. In {@code shadow} the monolith takes
 * it and no copy is made: a copied long-lived connection would run the service's side effects.
 * Two kinds are no tunnel, and go as plain requests without the upgrade (it is hop by hop; RFC 9110
 * §7.8 lets a server ignore it): an offer of only {@code h2c}, and a request with a body.
 */
public final class Decider {
    private final RandomGenerator random;

    /** @param random source of draws for canary requests that carry no sticky key; injected for deterministic tests */
    public Decider(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public Decision decide(RouteTable table, RequestFacts request) {
        Optional<Route> matched = table.match(request);
        return matched.isEmpty() ? Decision.unrouted(isUpgrade(request)) : decide(matched, request);
    }

    public Decision decide(Route route, RequestFacts request) {
        return decide(Optional.of(route), request);
    }

    /** {@code r}: the route, present (wrapped once, by the match, for the decision to carry). */
    private Decision decide(Optional<Route> r, RequestFacts request) {
        Route route = r.get();
        boolean tunnel = isUpgrade(request);
        return switch (route.stage()) {
            case MONOLITH -> new Decision(r, Target.MONOLITH, false, false, tunnel);
            case SHADOW -> new Decision(r, Target.MONOLITH, false, !tunnel, tunnel);
            case CANARY -> isInCanary(route, request)
                    ? new Decision(r, Target.SERVICE, mayFallBack(route, request), false, tunnel)
                    : new Decision(r, Target.MONOLITH, false, !tunnel && route.shadow().inCanary(), tunnel);
            case LIVE -> new Decision(r, Target.SERVICE, mayFallBack(route, request), false, tunnel);
            case RETIRED -> new Decision(r, Target.SERVICE, false, false, tunnel);
        };
    }

    /** The route's fallback rule, asked only where the service answers and the monolith still has the code. */
    private static boolean mayFallBack(Route route, RequestFacts request) {
        return route.fallback().allows(request.method());
    }

    /** An HTTP/1.1 upgrade request: an {@code Upgrade} header that {@code Connection} names (RFC 9110 §7.8). */
    static boolean isUpgrade(RequestFacts request) {
        Optional<String> upgrade = request.header("upgrade").filter(v -> !v.isBlank());
        if (upgrade.isEmpty() || onlyH2c(upgrade.get()) || hasContent(request)) return false;
        return request.header("connection").map(c -> {
            for (String token : c.split(",")) if (token.trim().equalsIgnoreCase("upgrade")) return true;
            return false;
        }).orElse(false);
    }

    /**
     * Whether an {@code Upgrade} value offers only {@code h2c}. That switch is between the client and the
     * gateway, hop by hop (RFC 7540 §3.2; RFC 9113 §3.1 retired it): Vert.x's server takes it on a
     * connection's first request, and on any later one it is declined by answering in HTTP/1.1. It is
     * never a tunnel to a backend: forwarded as one, the backend got {@code Upgrade: h2c}, and its plain
     * {@code 200} was a declined upgrade (the gateway then kept that connection idle for good).
     */
    private static boolean onlyH2c(String upgrade) {
        for (String token : upgrade.split(",")) if (!token.trim().equalsIgnoreCase("h2c")) return false;
        return true;
    }

    /**
     * Whether the request announces a body. A tunnel's handshake goes to the backend as a head alone
     * (the gateway's client sends nothing after it until the backend switches), so the backend of an
     * upgrade with a body waited for a body that never came, and the client got a 504 after the
     * response timeout (the shadowed POST of the late-h2c finding was such a request, offering
     * {@code h2c}). A WebSocket handshake is a GET without a body. Read by the rule the framing guard and
     * the exchange read it by ({@link RequestRules#announcesContent}), so all three agree that
     * {@code Content-Length: 00} is no body (this method once took it for one).
     */
    private static boolean hasContent(RequestFacts request) {
        return RequestRules.announcesContent(request.header("transfer-encoding").isPresent(), request.header("content-length"));
    }

    private boolean isInCanary(Route route, RequestFacts request) {
        int threshold = StickyHash.threshold(route.percent());
        if (threshold <= 0) return false;
        if (threshold >= StickyHash.BUCKETS) return true;
        Optional<String> key = stickyValue(route.sticky(), request);
        int bucket = key.isPresent()
                ? route.stickyHash().bucket(route.service(), key.get())
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
