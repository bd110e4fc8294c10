package dev.strangler.control.view;

import dev.strangler.core.shadow.RouteShadowSummary;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The shadow results of a route against the service it has now, summed over the fleet, and the older
 * results against other services (or other definitions of the same one) still kept.
 *
 * @param route          the route name
 * @param service        the route's service now
 * @param serviceDigest  the fingerprint of that service's definition
 * @param fleet          whether the store was read (false: this gateway's own results only, the store
 *                       being unreachable)
 * @param gateways       gateway processes whose results are summed (a restarted gateway counts again)
 * @param since          when the first of them started recording against this service; empty before any
 * @param current        the sum; zero counts when nothing was compared against this service yet
 * @param older          results against other services or definitions, most recently updated first
 */
public record ShadowReport(String route, String service, String serviceDigest, boolean fleet, int gateways,
                           Optional<Instant> since, RouteShadowSummary current, List<Older> older) {
    public ShadowReport {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(serviceDigest, "serviceDigest");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(current, "current");
        older = List.copyOf(older);
    }

    /**
     * Results of the route against another service, or another definition of it, kept until they age out.
     *
     * @param lastUpdated  when any gateway last recorded one; they are pruned a retention after it
     */
    public record Older(String service, String serviceDigest, long comparisons, long matches, Instant lastUpdated) {
        public Optional<Double> matchRate() {
            return comparisons == 0 ? Optional.empty() : Optional.of((double) matches / comparisons);
        }
    }
}
