package dev.strangler.cli;

import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * How a long-running command ends: SIGTERM or SIGINT (Ctrl-C) runs a JVM shutdown hook that stops
 * the process gracefully, flushes the logs (the access log is asynchronous) and exits 0. The JVM
 * would otherwise report 128+signal; an orchestrator reads 0 as "stopped cleanly", which a
 * completed drain is. If stopping takes longer than its bound plus {@link #GRACE}, the exit code
 * is {@link Main#FAILED}.
 */
final class Shutdown {
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);
    /** Beyond the drain timeout: time to close the admin server and Vert.x. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private Shutdown() {}

    /**
     * Installs the shutdown hook, then blocks the calling thread for good: the hook ends the JVM.
     *
     * @param stop  stops everything; its future must complete within {@code drain} (plus {@link #GRACE})
     */
    static void runUntilSignal(Supplier<Future<Void>> stop, Duration drain, PrintWriter err) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("strangler: stopping, draining in-flight requests (up to " + drain.toSeconds() + " s)");
            err.flush();
            int code = Main.OK;
            try {
                Blocking.await(stop.get(), drain.plus(GRACE), "stop");
                err.println("strangler: stopped");
            } catch (RuntimeException | InterruptedException e) {
                LOG.error("did not stop cleanly: {}", e.getMessage());
                code = Main.FAILED;
            }
            err.flush();
            flushLogs();
            Runtime.getRuntime().halt(code);
        }, "strangler-shutdown"));
        new CountDownLatch(1).await();
    }

    /** Stops logback, which drains the async access-log appender before the JVM halts. */
    private static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) context.stop();
    }
}
