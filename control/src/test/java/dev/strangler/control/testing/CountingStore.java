package dev.strangler.control.testing;

import dev.strangler.store.StateStore;
import dev.strangler.store.StoreException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real store seen through a decorator that counts the calls of each method, and that a test can
 * cut off as an outage would (every call that needs the database then fails with {@link StoreException}). It is a dynamic
 * proxy, so it decorates every method of {@link StateStore}, present and future, without a line each.
 */
public final class CountingStore {
    /** What a real store answers from memory, outage or not. */
    private static final Set<String> ANSWERED_WITHOUT_THE_DATABASE = Set.of("url", "shared", "health", "close");

    private final StateStore store;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicBoolean cut = new AtomicBoolean();

    public CountingStore(StateStore real) {
        this.store = (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(), new Class<?>[] {StateStore.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), name -> new AtomicLong()).incrementAndGet();
                    if (cut.get() && !ANSWERED_WITHOUT_THE_DATABASE.contains(method.getName())) {
                        throw new StoreException("store: " + method.getName() + ": cut off by the test");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The decorated store, to hand to the code under test. */
    public StateStore store() {
        return store;
    }

    /** How many times {@code method} was called so far (failed calls included). */
    public long calls(String method) {
        AtomicLong count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    /** From now on every call fails, as when the database cannot be reached. */
    public void cut() {
        cut.set(true);
    }

    public void restore() {
        cut.set(false);
    }
}
