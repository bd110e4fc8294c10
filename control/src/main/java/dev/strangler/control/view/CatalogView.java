package dev.strangler.control.view;

import java.util.List;

/**
 * The catalog page: every learned endpoint, the pilot ranking of the unclaimed ones, and the
 * endpoints the monolith's API description declares that never had a request.
 */
public record CatalogView(List<EndpointView> endpoints, List<PilotView> pilots, List<EndpointView> declaredNeverCalled,
                          boolean learning) {
    public CatalogView {
        endpoints = List.copyOf(endpoints);
        pilots = List.copyOf(pilots);
        declaredNeverCalled = List.copyOf(declaredNeverCalled);
    }
}
