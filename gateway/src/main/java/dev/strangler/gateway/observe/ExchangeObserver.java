package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.DropReason;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Sees every finished exchange, on the event loop that served it. Implementations must be quick
 * and must not throw: Strangler's extras never fail a user's request (they degrade instead).
 */
public interface ExchangeObserver {
    void onComplete(Outcome outcome);

    /**
     * Parts of an {@link Outcome} that cost the exchange lookups on the event loop per request (request
     * headers, the peer's address), taken only when some observer reads them: otherwise the
     * {@link Outcome#clientKey()} is empty and the {@link Outcome#details()} are {@link RequestDetails#NONE}.
     */
    enum Extra {
        CLIENT_KEY, DETAILS;

        static final Set<Extra> ALL = Collections.unmodifiableSet(EnumSet.allOf(Extra.class));
    }

    /** The extras this observer reads: all of them unless it says otherwise, so none misses what it reads. */
    default Set<Extra> reads() {
        return Extra.ALL;
    }

    /** A shadow copy's answer was compared with the monolith's (route in {@code shadow}). */
    default void onShadowCompared(ShadowComparison comparison) {}

    /** Two answers of the monolith to the same request, compared (the route checks for noise); comes before its comparison. */
    default void onShadowMonolithPair(String route, dev.strangler.core.diff.DiffResult monolithVersusMonolith) {}

    /** A shadow copy was not compared, and why. */
    default void onShadowDropped(String route, DropReason reason) {}

    static ExchangeObserver all(java.util.List<ExchangeObserver> observers) {
        ExchangeObserver[] array = observers.toArray(ExchangeObserver[]::new);
        EnumSet<Extra> read = EnumSet.noneOf(Extra.class);
        for (ExchangeObserver o : array) read.addAll(o.reads());
        Set<Extra> reads = Collections.unmodifiableSet(read);
        return new ExchangeObserver() {
            @Override
            public Set<Extra> reads() {
                return reads;
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
