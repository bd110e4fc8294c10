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
 * cut off as an outage would (every call that needs the database then fails with {@link StoreException}), or in
 * whose calls it interleaves a change ({@link #beforeNext}). It is a dynamic
 * proxy, so it decorates every method of {@link StateStore}, present and future, without a line each.
 */
public final class CountingStore {
    /** What a real store answers from memory, outage or not. */
    private static final Set<String> ANSWERED_WITHOUT_THE_DATABASE = Set.of("url", "shared", "health", "close");

    private final StateStore store;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicBoolean cut = new AtomicBoolean();
    private final Map<String, Runnable> before = new ConcurrentHashMap<>();

    public CountingStore(StateStore real) {
        this.store = (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(), new Class<?>[] {StateStore.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), name -> new AtomicLong()).incrementAndGet();
                    Runnable interleaved = before.remove(method.getName());
                    if (interleaved != null) interleaved.run();
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

    /**
     * Runs {@code action} once, right before the next call of {@code method} reaches the store: a change
     * made by someone else at an exact point inside the code under test (for example between a
     * controller tick's read and its write), without threads or timing.
     */
    public void beforeNext(String method, Runnable action) {
        before.put(method, action);
    }

    /** Whether an action given to {@link #beforeNext} is still waiting for its call. */
    public boolean waiting(String method) {
        return before.containsKey(method);
    }

    /** From now on every call fails, as when the database cannot be reached. */
    public void cut() {
        cut.set(true);
    }

    public void restore() {
        cut.set(false);
    }
}
