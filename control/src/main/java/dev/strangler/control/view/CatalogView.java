package dev.strangler.control.view;

import java.util.List;

/**
 * The catalog page: every learned endpoint, the pilot ranking of the unclaimed ones, the
 * endpoints the monolith's API description declares that never had a request, and the endpoint
 * groups the same client sessions use together.
 */
public record CatalogView(List<EndpointView> endpoints, List<PilotView> pilots, List<EndpointView> declaredNeverCalled,
                          boolean learning, CouplingView coupling) {
    public CatalogView {
        endpoints = List.copyOf(endpoints);
        pilots = List.copyOf(pilots);
        declaredNeverCalled = List.copyOf(declaredNeverCalled);
    }
}
