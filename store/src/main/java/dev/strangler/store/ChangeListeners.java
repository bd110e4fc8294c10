package dev.strangler.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** The store's change subscribers. A failing listener is logged and does not keep the others from hearing. */
final class ChangeListeners {

    private static final Logger log = LoggerFactory.getLogger(ChangeListeners.class);

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    AutoCloseable add(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        Runnable subscription = listener::run; // a distinct instance: subscribing one listener twice gives two handles
        listeners.add(subscription);
        return () -> listeners.remove(subscription);
    }

    void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("A state-store change listener failed; the others were still called", e);
            }
        }
    }
}
