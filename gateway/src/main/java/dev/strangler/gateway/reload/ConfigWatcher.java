package dev.strangler.gateway.reload;

import dev.strangler.core.config.ConfigError;
import dev.strangler.core.config.ConfigException;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.stage.StaleReadRisk;
import dev.strangler.gateway.Gateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a running gateway on the config file it was started from: a valid edit is applied without
 * a restart, an invalid one is refused with every error logged while the previous config keeps
 * serving.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Content, not mtime.</b> Each check reads the file and compares a SHA-256 of its bytes with
 *       the content the last check acted on. Editors replace files rather than write them in place,
 *       and mtime has a coarse granularity, so neither the inode nor the time says whether the
 *       content changed. The bytes that were hashed are the bytes that are parsed, so the
 *       fingerprint always describes the config that was applied or refused.</li>
 *   <li><b>Only a file that stopped changing.</b> An editor or a script that writes the file in place
 *       (not by renaming a finished file over it) leaves it half-written for a moment, and the first
 *       half of a valid file is often valid YAML too: applying it would drop every route not written
 *       yet, a {@code retired} one included, so their traffic would go to the monolith. So a new
 *       content is applied only once it has been read unchanged for the settle time (default
 *       {@link #DEFAULT_SETTLE}): a check that sees new content notes when it first saw it and looks
 *       again after the settle time; any change in between starts the wait again. A file replaced by
 *       an atomic rename is whole at once, and is applied after the same short wait.
 *       {@link #reloadNow()} (SIGHUP) and the first check at start do not wait: they are asked for.</li>
 *   <li><b>A refused file is reported once.</b> Its fingerprint is remembered like an applied one, so
 *       a bad edit gives one warning, not one a second; the next edit (or reverting it) is checked.
 *       {@link #reloadNow()} (SIGHUP) reads and applies even unchanged content: an operator who
 *       asks for a reload gets one, and hears again about a file still wrong.</li>
 *   <li><b>Never on an event loop, never two at once.</b> Checks, and the timers that start them, run on
 *       one thread of the watcher's own, so they are serialised without locks and the fingerprint needs
 *       no synchronisation; a tick is skipped while its predecessor is still queued or running (a slow
 *       disk). A check wakes no event loop: on a gateway pinned to one core, each wake-up of another
 *       thread holds up the requests in flight (docs/performance.md, "Issue 14, fifteenth round").</li>
 *   <li><b>An unchanged file costs a read and a comparison.</b> Its bytes are compared with the last ones
 *       read, and hashed only when they differ.</li>
 *   <li><b>The running config is the baseline.</b> What a new config changes is computed against
 *       {@link ConfigTarget#config()}, so the first check at {@link #start()} is silent when the file is
 *       what the gateway was started with, and applies it when it was edited in between.</li>
 * </ul>
 * Requests already in flight finish on the config they started with (see {@link Gateway#apply}).
 */
public final class ConfigWatcher {
    /** How often the file is read when no interval is given. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** How long new content must stay unchanged before it is applied, when no settle time is given. */
    public static final Duration DEFAULT_SETTLE = Duration.ofMillis(300);

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final String THREAD = "strangler-config-watcher";

    /** Why a check runs; decides what an unchanged file means. */
    private enum Trigger { START, POLL, REQUEST }

    private final ConfigTarget gateway;
    private final Path file;
    private final Duration interval;
    private final Duration settle;
    private final Clock clock;
    private final AtomicReference<ReloadResult> last = new AtomicReference<>();
    private final AtomicBoolean pollPending = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();

    private volatile ScheduledExecutorService thread;
    private volatile boolean stopped;
    /** Fingerprint of the content the last check applied or refused. Only the watcher's thread touches it. */
    private String lastSeen = "";
    /** The last content read, so an unchanged file is not hashed again. Only the watcher's thread touches it. */
    private Content lastRead;
    /** New content seen but not yet settled, and since when (by {@link #clock}). Only the worker thread touches it. */
    private Optional<Unsettled> unsettled = Optional.empty();

    private record Unsettled(String fingerprint, java.time.Instant since) {}

    /** Watches {@code file} every {@link #DEFAULT_INTERVAL}. */
    public ConfigWatcher(ConfigTarget gateway, Path file) {
        this(gateway, file, DEFAULT_INTERVAL, Clock.systemUTC());
    }

    /**
     * @param gateway  what applies the file: the gateway, or what combines the file with runtime state
     * @param file     the config file the gateway was started from
     * @param interval how often to read it
     * @param clock    stamps {@link ReloadResult#at()}
     */
    public ConfigWatcher(ConfigTarget gateway, Path file, Duration interval, Clock clock) {
        this(gateway, file, interval, DEFAULT_SETTLE, clock);
    }

    /**
     * @param settle how long new content must be read unchanged before it is applied (zero: at once);
     *               measured with {@code clock}
     * @param clock  stamps {@link ReloadResult#at()} and measures the settle time
     */
    public ConfigWatcher(ConfigTarget gateway, Path file, Duration interval, Duration settle, Clock clock) {
        this.settle = Objects.requireNonNull(settle, "settle");
        if (settle.isNegative()) throw new IllegalArgumentException("settle: " + settle + " (expected: zero or more)");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.file = Objects.requireNonNull(file, "file");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (interval.toMillis() <= 0)
            throw new IllegalArgumentException("interval: " + interval + " (expected: at least 1 ms)");
    }

    /**
     * Reads the file once (applying it if it differs from what the gateway serves), then keeps
     * checking it every interval. Completes when the first check is done; never fails.
     */
    public Future<Void> start() {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("the watcher of " + file + " was already started");
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD);
            t.setDaemon(true);
            return t;
        });
        return submit(Trigger.START).map(first -> {
            try {
                thread.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stoppedMeanwhile) {
                // stop() came while the first check ran
            }
            LOG.info("watching {} for changes every {} ms (applied once unchanged for {} ms)", file, interval.toMillis(),
                    settle.toMillis());
            return null;
        });
    }

    /**
     * Checks the file now, as the periodic timer does: applies it (or reports it refused) when its
     * content differs from what the last check acted on and has stayed the same for the settle
     * time. Empty when there was nothing new, or the new content has not settled yet.
     */
    public Future<Optional<ReloadResult>> check() {
        return submit(Trigger.POLL);
    }

    /**
     * Reads and applies the file now even if its content did not change (what SIGHUP does).
     * Returns immediately; the future completes with the result, or fails when the watcher is not running.
     */
    public Future<ReloadResult> reloadNow() {
        return submit(Trigger.REQUEST).compose(r -> r.map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new IllegalStateException("the watcher of " + file + " is stopped"))));
    }

    /** The outcome of the last reload that applied or refused the file; empty until one happened. */
    public Optional<ReloadResult> lastReload() {
        return Optional.ofNullable(last.get());
    }

    public Path file() {
        return file;
    }

    /** Stops checking; a check already running finishes. */
    public Future<Void> stop() {
        stopped = true;
        ScheduledExecutorService t = thread;
        if (t == null) return Future.succeededFuture();
        Promise<Void> done = Promise.promise();
        try {
            t.execute(() -> done.tryComplete()); // after a check already queued or running
        } catch (RejectedExecutionException stoppedAlready) {
            done.tryComplete();
        }
        t.shutdown();
        return done.future();
    }

    private void poll() {
        if (!pollPending.compareAndSet(false, true)) return;
        check().onComplete(ar -> pollPending.set(false));
    }

    private Future<Optional<ReloadResult>> submit(Trigger trigger) {
        if (thread == null) return Future.failedFuture(new IllegalStateException("the watcher of " + file + " is not started"));
        Promise<Optional<ReloadResult>> result = Promise.promise();
        boolean queued = schedule(() -> {
            try {
                result.complete(checkBlocking(trigger));
            } catch (Throwable e) {
                result.fail(e);
            }
        });
        if (!queued) result.complete(Optional.empty()); // stopped: as a check that finds the watcher stopped
        return result.future();
    }

    /** Runs {@code task} on the watcher's thread; false when the watcher is stopped. */
    private boolean schedule(Runnable task) {
        try {
            thread.execute(task);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }

    /** Blocking: reads the file. Runs on the watcher's own thread only. */
    private Optional<ReloadResult> checkBlocking(Trigger trigger) {
        if (stopped) return Optional.empty();
        Content content = Content.read(file, lastRead);
        lastRead = content;
        if (trigger == Trigger.POLL) {
            if (content.fingerprint().equals(lastSeen)) {
                unsettled = Optional.empty(); // an edit undone before it settled
                return Optional.empty();
            }
            if (!hasSettled(content.fingerprint())) return Optional.empty();
        }
        unsettled = Optional.empty();
        lastSeen = content.fingerprint();
        try {
            return loadAndApply(content, trigger);
        } catch (RuntimeException e) {
            // A bug, not a bad file: report it like a refusal so the gateway keeps serving and /health shows it.
            LOG.error("reloading {} failed unexpectedly; still serving the previous config", file, e);
            return Optional.of(record(new ReloadResult(clock.instant(), file, false, List.of(file + ": reload failed: " + e))));
        }
    }

    /**
     * Whether content has been read unchanged for the settle time; otherwise notes it and asks for
     * another look when the settle time is up (the periodic poll would come later).
     */
    private boolean hasSettled(String fingerprint) {
        if (settle.isZero()) return true;
        java.time.Instant now = clock.instant();
        if (unsettled.isEmpty() || !unsettled.get().fingerprint().equals(fingerprint)) {
            unsettled = Optional.of(new Unsettled(fingerprint, now));
            LOG.debug("{} changed; applying it once it has stayed the same for {} ms", file, settle.toMillis());
            recheckIn(settle);
            return false;
        }
        Duration waited = Duration.between(unsettled.get().since(), now);
        if (waited.compareTo(settle) >= 0) return true;
        recheckIn(settle.minus(waited));
        return false;
    }

    private void recheckIn(Duration delay) {
        if (stopped) return;
        try {
            thread.schedule(() -> {
                if (!stopped) poll();
            }, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stoppedMeanwhile) {
            // nothing more to check
        }
    }

    private Optional<ReloadResult> loadAndApply(Content content, Trigger trigger) {
        GatewayConfig next;
        try {
            next = content.load(file);
        } catch (ConfigException e) {
            List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
            LOG.warn("config in {} refused ({} {}); still serving the previous config:\n  {}", file, errors.size(),
                    errors.size() == 1 ? "error" : "errors", String.join("\n  ", errors));
            return Optional.of(record(new ReloadResult(clock.instant(), file, false, errors)));
        }
        List<String> changes = ConfigChanges.between(gateway.config(), next);
        if (trigger == Trigger.START && changes.isEmpty()) {
            warnings(); // the gateway already serves this file: only say what it risks, once
            return Optional.empty();
        }
        gateway.apply(next);
        LOG.info("config reloaded from {}: {} routes (changed: {})", file, next.routes().size(),
                changes.isEmpty() ? "nothing" : String.join("; ", changes));
        return Optional.of(record(new ReloadResult(clock.instant(), file, true, changes, warnings())));
    }

    /** Logs and returns what the served config risks, judged on the stages served now (not the file's). */
    private List<String> warnings() {
        List<String> warnings = StaleReadRisk.find(gateway.serving().routes()).stream().map(StaleReadRisk::message).toList();
        for (String w : warnings) LOG.warn("{}: {}", file, w);
        return warnings;
    }

    private ReloadResult record(ReloadResult result) {
        last.set(result);
        return result;
    }

    /** The file's bytes with their fingerprint, or why it could not be read. */
    private record Content(String fingerprint, byte[] bytes, Optional<String> unreadable) {
        /** Blocking. {@code previous}: the content read last, whose fingerprint is kept when the bytes are the same; or null. */
        static Content read(Path file, Content previous) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                if (previous != null && previous.unreadable().isEmpty() && Arrays.equals(previous.bytes(), bytes)) return previous;
                return new Content(sha256(bytes), bytes, Optional.empty());
            } catch (IOException e) {
                String why = e.getClass().getSimpleName() + ": " + e.getMessage();
                // The same failure is one state: a file that stays missing is reported once.
                return new Content("unreadable " + why, new byte[0], Optional.of(why));
            }
        }

        /** Parses exactly the bytes that were fingerprinted; messages match {@link ConfigLoader#load(Path)}. */
        GatewayConfig load(Path file) throws ConfigException {
            if (unreadable.isPresent()) {
                throw new ConfigException(List.of(new ConfigError(file, 0, "", "cannot be read (" + unreadable.get()
                        + "); check the path and its permissions")));
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new ConfigException(List.of(new ConfigError(file, 0, "", "is not UTF-8 text; save it as UTF-8")));
            }
            return ConfigLoader.parse(text, file, System.getenv());
        }

        private static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
    }
}
