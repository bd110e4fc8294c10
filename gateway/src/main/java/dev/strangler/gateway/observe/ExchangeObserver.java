package dev.strangler.gateway.observe;

/**
 * Sees every finished exchange, on the event loop that served it. Implementations must be quick
 * and must not throw: Strangler's extras never fail a user's request (they degrade instead).
 */
@FunctionalInterface
public interface ExchangeObserver {
    void onComplete(Outcome outcome);

    static ExchangeObserver all(java.util.List<ExchangeObserver> observers) {
        ExchangeObserver[] array = observers.toArray(ExchangeObserver[]::new);
        return outcome -> {
            for (ExchangeObserver o : array) {
                try {
                    o.onComplete(outcome);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(ExchangeObserver.class).warn("observer {} failed", o, e);
                }
            }
        };
    }
}
