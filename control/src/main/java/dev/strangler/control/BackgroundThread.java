package dev.strangler.control;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The control plane's own threads (state sync, controller, catalog): one named daemon thread each,
 * off the event loops, so blocking on the database never holds a request and never keeps the JVM
 * alive after shutdown.
 */
public final class BackgroundThread {
    private BackgroundThread() {}

    /** A single-threaded scheduler whose thread is called {@code name}. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
