package dev.strangler.core.shadow;

import java.util.Objects;

/**
 * What a set of shadow results is about: a route compared against one service at one definition. A
 * change of the route's service, or of that service's URLs (its digest), starts a new set; the old one
 * stays, labelled with its service, until it ages out.
 *
 * @param route          the route name
 * @param service        the service the shadow copies went to; empty when not known (results recorded
 *                       by route alone)
 * @param serviceDigest  a fingerprint of the service's definition (URLs and settings); empty when not known
 */
public record ShadowKey(String route, String service, String serviceDigest) {
    public ShadowKey {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(serviceDigest, "serviceDigest");
    }

    /** A key that names only the route (no service known). */
    public static ShadowKey ofRoute(String route) {
        return new ShadowKey(route, "", "");
    }

    /** Whether this and {@code other} compare the same route against the same service definition. */
    public boolean isSameTarget(ShadowKey other) {
        return service.equals(other.service) && serviceDigest.equals(other.serviceDigest);
    }
}
