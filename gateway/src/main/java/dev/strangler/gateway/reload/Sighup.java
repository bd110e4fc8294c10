package dev.strangler.gateway.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code kill -HUP} as "reload the config now", the Unix convention for daemons.
 *
 * <p>Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}), the only way the JDK offers.
 * Where it is missing (Windows has no SIGHUP; a JVM started with {@code -Xrs} refuses it; a runtime
 * image without the module lacks the class) installing logs why and returns empty: the file is
 * still watched, only the signal does nothing. So it does for a process that was started with SIGHUP
 * ignored ({@code nohup strangler run}, or a supervisor that ignores it): the JVM honours that by
 * keeping the signal ignored while reporting the handler installed, so {@code kill -HUP} would do
 * nothing without a word. On Linux the ignored set is read from {@code /proc/self/status}.
 */
public final class Sighup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sighup.class);

    private final Signal signal;
    private final SignalHandler previous;

    private Sighup(Signal signal, SignalHandler previous) {
        this.signal = signal;
        this.previous = previous;
    }

    /** Makes SIGHUP call {@link ConfigWatcher#reloadNow()}. */
    public static Optional<Sighup> reloads(ConfigWatcher watcher) {
        Objects.requireNonNull(watcher, "watcher");
        Optional<Sighup> installed = install(() -> watcher.reloadNow()
                .onFailure(e -> LOG.warn("SIGHUP: no reload of {}: {}", watcher.file(), e.getMessage())));
        installed.ifPresent(s -> LOG.info("SIGHUP reloads {}", watcher.file()));
        return installed;
    }

    /**
     * Runs {@code onHangup} on every SIGHUP, on the JVM's signal thread (so it must not block),
     * instead of the JVM's default of shutting down. Empty, with the reason logged, where the
     * platform cannot.
     */
    public static Optional<Sighup> install(Runnable onHangup) {
        Objects.requireNonNull(onHangup, "onHangup");
        if (ignoredByThisProcess()) {
            LOG.warn("SIGHUP is ignored by this process (started under nohup, or by a supervisor that ignores it), "
                    + "so kill -HUP reloads nothing; the config file is still watched for changes. Start without nohup "
                    + "(e.g. setsid or a service manager) for kill -HUP to reload");
            return Optional.empty();
        }
        try {
            Signal hup = new Signal("HUP");
            SignalHandler previous = Signal.handle(hup, s -> {
                try {
                    onHangup.run();
                } catch (RuntimeException e) {
                    LOG.error("SIGHUP handler failed", e);
                }
            });
            return Optional.of(new Sighup(hup, previous));
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warn("cannot handle SIGHUP on this platform ({}); the config file is still watched for changes", e.toString());
            return Optional.empty();
        }
    }

    /** Puts back the handler that was there before. */
    @Override
    public void close() {
        Signal.handle(signal, previous);
    }

    /** Whether SIGHUP is in this process's ignored set; false where that cannot be read (not Linux). */
    private static boolean ignoredByThisProcess() {
        try {
            return ignores(Files.readString(Path.of("/proc/self/status")), 1);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether a {@code /proc/PID/status} text lists signal {@code number} as ignored: its {@code SigIgn}
     * line is a hexadecimal mask with bit {@code number - 1} for each ignored signal.
     */
    static boolean ignores(String procStatus, int number) {
        for (String line : procStatus.split("\n")) {
            if (!line.startsWith("SigIgn:")) continue;
            String mask = line.substring("SigIgn:".length()).trim();
            int digit = (number - 1) / 4;
            if (digit >= mask.length()) return false;
            int nibble = Character.digit(mask.charAt(mask.length() - 1 - digit), 16);
            return nibble >= 0 && (nibble & (1 << ((number - 1) % 4))) != 0;
        }
        return false;
    }
}
