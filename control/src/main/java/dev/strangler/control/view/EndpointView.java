package dev.strangler.control.view;

import java.time.Instant;
import java.util.Optional;

/** One learned endpoint as the dashboard's tables show it. */
public record EndpointView(String method, String template, long count, double errorRate, Optional<Double> p99Ms,
                           long bytes, Optional<Instant> lastSeen, Optional<String> route, Optional<String> stage,
                           boolean declared) {}
