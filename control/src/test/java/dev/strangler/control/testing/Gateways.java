package dev.strangler.control.testing;

import dev.strangler.control.StranglerProcess;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Strangler processes started from real config files, as {@code strangler run} starts them, and
 * stopped after the test.
 */
public final class Gateways implements AutoCloseable {
    private final List<StranglerProcess> running = new ArrayList<>();

    /** Writes {@code yaml} to {@code file} (so edits can be reloaded) and starts a process from it. */
    public StranglerProcess start(Path file, String yaml) {
        write(file, yaml);
        return start(file);
    }

    public StranglerProcess start(Path file) {
        try {
            GatewayConfig config = ConfigLoader.load(file);
            StranglerProcess p = Await.result(StranglerProcess.start(config, 1));
            running.add(p);
            return p;
        } catch (Exception e) {
            throw new AssertionError("cannot start from " + file + ": " + e, e);
        }
    }

    public void stop(StranglerProcess p) {
        running.remove(p);
        Await.result(p.stop());
    }

    public static void write(Path file, String yaml) {
        try {
            Files.writeString(file, yaml);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A config with a monolith and one service {@code svc} on the given ports, ephemeral listeners
     * without access log, and {@code routes} (YAML list items, indented by two spaces).
     */
    public static String config(String storeUrl, int monolithPort, int servicePort, String controllerInterval, String routes) {
        return """
                listen: 127.0.0.1:0
                admin: { listen: 127.0.0.1:0 }
                store: { url: "%s" }
                access-log: false
                controller: { interval: %s }
                monolith: { url: http://127.0.0.1:%d }
                services:
                  svc: { url: http://127.0.0.1:%d }
                routes:
                %s""".formatted(storeUrl, controllerInterval, monolithPort, servicePort, routes);
    }

    @Override
    public void close() {
        for (StranglerProcess p : List.copyOf(running)) stop(p);
    }
}
