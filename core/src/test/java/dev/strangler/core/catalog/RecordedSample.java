package dev.strangler.core.catalog;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small recorded catalog with round numbers, checked by hand in the tests: 10,000 requests.
 * <pre>
 * GET  /api/tags                 400  0 errors   20 ms   100 + 1,000 bytes per request
 * GET  /api/tags/{tagId}         100  0 errors   20 ms
 * GET  /api/orders             2,000  0 errors  200 ms
 * POST /api/orders             1,000 60 errors  200 ms
 * GET  /api/orders/{orderId}   1,000  0 errors  200 ms
 * GET  /admin/reports/{date}      10  0 errors    3 s
 * GET  /api/users/{userId}     5,490  0 errors   10 ms   (claimed by route "users")
 * GET  /api/legacy                0  declared, never called
 * </pre>
 */
final class RecordedSample {
    private RecordedSample() {}

    static final Instant AT = Instant.parse("2026-11-20T09:00:00Z");

    static List<EndpointSummary> endpoints() {
        return List.of(
                summary("GET", "/api/tags", 400, 0, 20),
                summary("GET", "/api/tags/{tagId}", 100, 0, 20),
                summary("GET", "/api/orders", 2000, 0, 200),
                summary("POST", "/api/orders", 1000, 60, 200),
                summary("GET", "/api/orders/{orderId}", 1000, 0, 200),
                summary("GET", "/admin/reports/{date}", 10, 0, 3000),
                summary("GET", "/api/users/{userId}", 5490, 0, 10),
                EndpointSummary.declaredOnly(new EndpointKey("GET", "/api/legacy")));
    }

    static EndpointSummary summary(String method, String template, long count, long errors, long millis) {
        LatencySketch.Recorder latency = new LatencySketch.Recorder();
        for (long i = 0; i < count; i++) latency.recordNanos(millis * 1_000_000);
        Map<Integer, Long> codes = new HashMap<>();
        if (count - errors > 0) codes.put(method.equals("POST") ? 201 : 200, count - errors);
        if (errors > 0) codes.put(503, errors);
        return new EndpointSummary(new EndpointKey(method, template), count, codes, latency.snapshot(), 100 * count,
                1000 * count, Optional.of(AT), Optional.of(AT), Optional.empty(), Optional.empty(), false);
    }
}
