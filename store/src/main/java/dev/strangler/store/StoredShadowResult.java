package dev.strangler.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One gateway's cumulative shadow results for one route against one service definition, as stored.
 * The store does not read the summary: it keeps it as the writer encoded it (JSON), bounded in size.
 *
 * @param gateway        the writing gateway (host and instance)
 * @param route          the route name
 * @param service        the service the copies went to; empty when unknown
 * @param serviceDigest  the fingerprint of the service's definition; empty when unknown
 * @param firstSeen      when this gateway first recorded anything for the key
 * @param updatedAt      when the summary last changed; a key not updated for the retention is pruned
 * @param comparisons    comparisons counted (also in the summary: here for queries and checks)
 * @param matches        of those, matches
 * @param summary        the encoded summary, at most {@value #MAX_SUMMARY_CHARS} characters
 */
public record StoredShadowResult(String gateway, String route, String service, String serviceDigest, Instant firstSeen,
                                 Instant updatedAt, long comparisons, long matches, String summary) {
    /** The largest summary the store keeps; the writer drops samples to fit under it. */
    public static final int MAX_SUMMARY_CHARS = 500_000;

    public StoredShadowResult {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(serviceDigest, "serviceDigest");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(summary, "summary");
        if (comparisons < 0 || matches < 0 || matches > comparisons)
            throw new IllegalArgumentException("comparisons " + comparisons + ", matches " + matches
                    + " (expected: 0 <= matches <= comparisons)");
        if (summary.length() > MAX_SUMMARY_CHARS)
            throw new IllegalArgumentException("summary: " + summary.length() + " characters (expected: at most "
                    + MAX_SUMMARY_CHARS + ")");
    }
}
