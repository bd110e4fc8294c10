package dev.strangler.control.view;

import java.util.List;
import java.util.Optional;

/**
 * The dashboard's overview in one answer: progress now and over time, the endpoints no route claims
 * (busiest first), and every route, problems first.
 *
 * @param store    {@code reachable}, or {@code unreachable} when routes show the last known state
 * @param history  the stored snapshots, oldest first; empty when the store cannot be read
 * @param unclaimed the busiest endpoints no route claims (at most {@link ReadModel#UNCLAIMED_SHOWN})
 */
public record OverviewView(String store, ProgressView progress, List<ProgressView> history, long unclaimedCount,
                           List<EndpointView> unclaimed, List<RouteView> routes, Optional<String> storeError) {
    public OverviewView {
        history = List.copyOf(history);
        unclaimed = List.copyOf(unclaimed);
        routes = List.copyOf(routes);
    }
}
