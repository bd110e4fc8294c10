package dev.strangler.gateway.observe;

/**
 * Sees every finished exchange, on the event loop that served it. Implementations must be quick
 * and must not throw: Strangler's extras never fail a user's request (they degrade instead).
 */
public interface ExchangeObserver {
    void onComplete(Outcome outcome);

    /** A shadow copy's answer was compared with the monolith's (route in {@code shadow}). */
    default void onShadowCompared(ShadowComparison comparison) {}

    /** Two answers of the monolith to the same request, compared (the route checks for noise); comes before its comparison. */
    default void onShadowMonolithPair(String route, dev.strangler.core.diff.DiffResult monolithVersusMonolith) {}

    /** A shadow copy was not compared, and why (e.g. {@code queue-full}, {@code timeout}, {@code write-not-shadowed}). */
    default void onShadowDropped(String route, String reason) {}

    static ExchangeObserver all(java.util.List<ExchangeObserver> observers) {
        ExchangeObserver[] array = observers.toArray(ExchangeObserver[]::new);
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ExchangeObserver.class);
        return new ExchangeObserver() {
            @Override
            public void onComplete(Outcome outcome) {
                for (ExchangeObserver o : array) {
                    try {
                        o.onComplete(outcome);
                    } catch (RuntimeException e) {
                        log.warn("observer {} failed", o, e);
                    }
                }
            }

            @Override
            public void onShadowCompared(ShadowComparison comparison) {
                for (ExchangeObserver o : array) {
                    try {
                        o.onShadowCompared(comparison);
                    } catch (RuntimeException e) {
                        log.warn("observer {} failed", o, e);
                    }
                }
            }

            @Override
            public void onShadowMonolithPair(String route, dev.strangler.core.diff.DiffResult result) {
                for (ExchangeObserver o : array) {
                    try {
                        o.onShadowMonolithPair(route, result);
                    } catch (RuntimeException e) {
                        log.warn("observer {} failed", o, e);
                    }
                }
            }

            @Override
            public void onShadowDropped(String route, String reason) {
                for (ExchangeObserver o : array) {
                    try {
                        o.onShadowDropped(route, reason);
                    } catch (RuntimeException e) {
                        log.warn("observer {} failed", o, e);
                    }
                }
            }
        };
    }
}
