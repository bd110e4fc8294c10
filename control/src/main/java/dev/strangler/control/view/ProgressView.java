package dev.strangler.control.view;

import java.time.Instant;
import java.util.List;

/**
 * How far the migration has come at one moment: per stage (and {@code unclaimed}), routes,
 * endpoints, requests and bytes, with their shares of the totals.
 */
public record ProgressView(Instant at, List<StageShare> stages) {
    public ProgressView {
        stages = List.copyOf(stages);
    }

    /** One stage's counts and shares (0..1). */
    public record StageShare(String stage, int routes, long endpoints, long requests, long bytes,
                             double endpointShare, double requestShare, double byteShare) {}
}
