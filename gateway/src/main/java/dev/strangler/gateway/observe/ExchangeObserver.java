package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.DropReason;

/**
 * Sees every finished exchange, on the event loop that served it. Implementations must be quick
 * and must not throw: Strangler's extras never fail a user's request (they degrade instead).
 */
public interface ExchangeObserver {
    void onComplete(Outcome outcome);

    /**
     * Whether this observer reads {@link Outcome#clientKey()}. The exchange looks the key up (header
     * lookups on the event loop, per request) only when some observer reads it, and leaves it empty
     * otherwise. True unless the observer says otherwise, so none misses what it reads.
     */
    default boolean readsClientKey() {
        return true;
    }

    /** Whether this observer reads {@link Outcome#details()}; when none does they are {@link RequestDetails#NONE}. As {@link #readsClientKey()}. */
    default boolean readsDetails() {
        return true;
    }

    /** A shadow copy's answer was compared with the monolith's (route in {@code shadow}). */
    default void onShadowCompared(ShadowComparison comparison) {}

    /** Two answers of the monolith to the same request, compared (the route checks for noise); comes before its comparison. */
    default void onShadowMonolithPair(String route, dev.strangler.core.diff.DiffResult monolithVersusMonolith) {}

    /** A shadow copy was not compared, and why. */
    default void onShadowDropped(String route, DropReason reason) {}

    static ExchangeObserver all(java.util.List<ExchangeObserver> observers) {
        ExchangeObserver[] array = observers.toArray(ExchangeObserver[]::new);
        boolean clientKey = java.util.Arrays.stream(array).anyMatch(ExchangeObserver::readsClientKey);
        boolean details = java.util.Arrays.stream(array).anyMatch(ExchangeObserver::readsDetails);
        return new ExchangeObserver() {
            @Override
            public boolean readsClientKey() {
                return clientKey;
            }

            @Override
            public boolean readsDetails() {
                return details;
            }

            @Override
            public void onComplete(Outcome outcome) {
                // Every request passes here: a plain loop, no capturing lambda to allocate.
                for (ExchangeObserver o : array) {
                    try {
                        o.onComplete(outcome);
                    } catch (RuntimeException e) {
                        failed(o, e);
                    }
                }
            }

            @Override
            public void onShadowCompared(ShadowComparison comparison) {
                each(o -> o.onShadowCompared(comparison));
            }

            @Override
            public void onShadowMonolithPair(String route, dev.strangler.core.diff.DiffResult result) {
                each(o -> o.onShadowMonolithPair(route, result));
            }

            @Override
            public void onShadowDropped(String route, DropReason reason) {
                each(o -> o.onShadowDropped(route, reason));
            }

            /** One failing observer must not keep the others from seeing the event, nor fail the request. */
            private void each(java.util.function.Consumer<ExchangeObserver> event) {
                for (ExchangeObserver o : array) {
                    try {
                        event.accept(o);
                    } catch (RuntimeException e) {
                        failed(o, e);
                    }
                }
            }

            private void failed(ExchangeObserver o, RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ExchangeObserver.class).warn("observer {} failed", o, e);
            }
        };
    }
}
