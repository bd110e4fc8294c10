package dev.strangler.core.gates;

/**
 * One window's request and failure counts on both sides, the unit the error gates work on: both
 * sides of a window cover the same time span, so comparing within windows is fair to a service
 * that only ran while traffic was light (or heavy).
 *
 * @param serviceErrors       service requests that failed: answered 5xx, or no answer at all
 * @param serviceHardFailures of those, the ones with no answer (refused, timed out, reset), fallbacks included
 */
public record WindowCounts(long serviceRequests, long serviceErrors, long serviceHardFailures,
                           long monolithRequests, long monolithErrors) {
    public WindowCounts {
        if (serviceRequests < 0 || serviceErrors < 0 || serviceErrors > serviceRequests || serviceHardFailures < 0
                || serviceHardFailures > serviceErrors || monolithRequests < 0 || monolithErrors < 0
                || monolithErrors > monolithRequests) {
            throw new IllegalArgumentException("service " + serviceHardFailures + " hard of " + serviceErrors + " errors of "
                    + serviceRequests + ", monolith " + monolithErrors + " of " + monolithRequests
                    + " (expected: 0 <= hard <= errors <= requests on each side)");
        }
    }
}
