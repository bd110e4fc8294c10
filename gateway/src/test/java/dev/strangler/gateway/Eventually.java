package dev.strangler.gateway;

import java.time.Duration;

/** Waits for a condition instead of sleeping and hoping: retries an assertion until it holds or the deadline passes. */
public final class Eventually {
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private static final long RETRY_MILLIS = 20;

    private Eventually() {}

    /** Runs {@code check} until it passes; after {@code timeout} its last failure is thrown. */
    public static void eventually(Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | Exception e) {
                if (System.nanoTime() > deadline) throw e;
            }
            Thread.sleep(RETRY_MILLIS);
        }
    }
}
