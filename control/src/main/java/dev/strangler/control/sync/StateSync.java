package dev.strangler.control.sync;

import dev.strangler.control.BackgroundThread;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.window.WindowRecorder;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.gateway.Gateway;
import dev.strangler.gateway.reload.ConfigTarget;
import dev.strangler.store.MetricWindow;
import dev.strangler.store.RouteState;
import dev.strangler.store.RouteStatesStamp;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps this gateway on the fleet's state: what the config file says, combined with where the store
 * says each route is now. It is what the config watcher applies the file to, and it follows the
 * store: on every change notification (PostgreSQL LISTEN/NOTIFY) and, as a fallback, on a short
 * poll, so a stage change made anywhere in the fleet is served here within a second.
 *
 * <p><b>A poll reads every state only when something changed.</b> It reads the store's
 * {@link StateStore#routeStatesStamp() stamp} first, one aggregate row that moves with every write
 * of a route state, and reads the states (one object per route) only when the stamp differs from the
 * one last applied. A notification, a reconcile and the end of an outage always read them all (they
 * are rare, and they are what a missed write would hide behind), and so does a poll once
 * {@link #FULL_READ_INTERVAL} has passed since the last full read, whatever the stamp says: the bound
 * on a change the stamp cannot see (SQL run on the table by hand). The stamp is read <em>before</em>
 * the states, so a write landing between the two moves the next stamp and is read then.
 *
 * <p>It also writes this gateway's metric windows to the store, for the controller, and its shadow
 * results ({@link ShadowFlush}), which readers add up over the fleet.
 *
 * <p><b>The request path never waits on the database.</b> Everything here runs on one thread of its
 * own (a reload of the file is handed to it too); the gateway only ever sees a finished config. When the store cannot be reached, the gateway
 * keeps serving the last state it knew, {@link #status()} says so (and /health shows it), windows
 * wait in a bounded queue, and everything resumes when the store answers again — including a file
 * edit made during the outage, which is reconciled then.
 */
public final class StateSync implements ConfigTarget, AutoCloseable {
    /** How often the store is read when no notification came: the fleet's bound on a missed one. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    /** The longest a poll trusts an unchanged stamp: at least this often every state is read again. */
    public static final Duration FULL_READ_INTERVAL = Duration.ofSeconds(10);
    /** Windows kept while the store is unreachable; older ones are dropped (and counted) beyond this. */
    static final int MAX_PENDING_WINDOWS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(StateSync.class);

    /** What the gateway knows about the store, for /health. */
    public record Status(boolean reachable, Optional<Instant> unreachableSince, Optional<String> lastError,
                         Optional<Instant> lastSync, long windowsDropped) {}

    private final Gateway gateway;
    private final Migration migration;
    private final StateStore store;
    private final WindowRecorder windows;
    private final Optional<ShadowFlush> shadow;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final Deque<MetricWindow> pending = new ArrayDeque<>(); // only the sync thread touches it (see apply)
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final AtomicBoolean fullReadAsked = new AtomicBoolean(); // by a notification: the next refresh reads all
    private final AtomicLong windowsDropped = new AtomicLong();

    private volatile GatewayConfig file;
    private volatile Map<String, RouteState> known;
    private volatile boolean reconcilePending;
    private volatile Status status;
    private AutoCloseable subscription;
    private Optional<RouteStatesStamp> appliedStamp = Optional.empty(); // only the sync thread touches it
    private Instant lastFullRead; // only the sync thread touches it

    /**
     * Follows {@code migration}'s file (as last reconciled) and store; the dependency goes one way:
     * this class calls {@link Migration}, and hears of its changes through {@link Migration#onChange}.
     *
     * @param known the states read when the file was reconciled at start
     */
    public StateSync(Gateway gateway, Migration migration, WindowRecorder windows, Map<String, RouteState> known, Clock clock) {
        this(gateway, migration, windows, Optional.empty(), known, clock);
    }

    /** @param shadow writes this gateway's shadow results at each window flush */
    public StateSync(Gateway gateway, Migration migration, WindowRecorder windows, Optional<ShadowFlush> shadow,
                     Map<String, RouteState> known, Clock clock) {
        this.shadow = Objects.requireNonNull(shadow, "shadow");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.migration = Objects.requireNonNull(migration, "migration");
        this.store = migration.store();
        this.windows = Objects.requireNonNull(windows, "windows");
        this.file = migration.file();
        this.known = Map.copyOf(known);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.status = new Status(true, Optional.empty(), Optional.empty(), Optional.of(clock.instant()), 0);
        this.lastFullRead = clock.instant(); // known was read just now; the first poll reads again all the same (no stamp yet)
        this.thread = BackgroundThread.scheduler("strangler-state-sync");
    }

    /** Starts following the store, and writing windows every {@code windowInterval}. */
    public void start(Duration windowInterval) {
        migration.onChange(this::refreshSoon); // a change made in this process is served at once
        subscription = store.onChange(this::refreshSoon);
        thread.scheduleWithFixedDelay(this::pollSoon, POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        long every = Math.max(100, windowInterval.toMillis());
        thread.scheduleWithFixedDelay(() -> {
            guarded("writing metric windows", this::flushWindows);
            guarded("writing shadow results", this::flushShadow);
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** The config file as last applied (what the watcher compares edits with). */
    @Override
    public GatewayConfig config() {
        return file;
    }

    /** The file combined with the routes' runtime stages, as this gateway serves it. */
    @Override
    public GatewayConfig serving() {
        return gateway.config();
    }

    /**
     * A new, validated file (from the watcher, on its worker thread): reconciled with the store (the
     * file wins where it changed since last applied), then served. If the store is unreachable the
     * file's other settings are served with the last known positions, and the reconcile waits.
     */
    @Override
    public void apply(GatewayConfig next) {
        // On the sync thread, like every other change of this gateway's state: the windows queue, the
        // known states and the status are confined to it, and a refresh cannot serve an older snapshot
        // after this file was applied.
        try {
            thread.submit(() -> applyOnSyncThread(next)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying " + next.source().map(Object::toString).orElse("the config"), e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    private void applyOnSyncThread(GatewayConfig next) {
        file = next;
        try {
            migration.reconcile(next);
            reconcilePending = false;
            Map<String, RouteState> states = migration.states();
            reachable();
            serve(states);
        } catch (StoreException e) {
            reconcilePending = true;
            unreachable(e);
            LOG.warn("state store unreachable while applying {}; serving it with the last known stages until the store "
                    + "answers: {}", next.source().map(Object::toString).orElse("the config"), e.getMessage());
            serve(known);
        }
    }

    /**
     * Re-reads every state in the store now (after a change made in this process, or a notification),
     * whatever its stamp says. Never blocks.
     */
    public void refreshSoon() {
        fullReadAsked.set(true); // before queueing: a refresh already queued but not yet started takes it
        pollSoon();
    }

    /** Reads the store's stamp now, and every state if it moved. Never blocks. */
    private void pollSoon() {
        if (refreshQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    refreshQueued.set(false);
                    guarded("reading the state store", this::refresh);
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                refreshQueued.set(false);
            }
        }
    }

    public Status status() {
        return status;
    }

    /** The positions last read from the store, by route. */
    public Map<String, RouteState> known() {
        return known;
    }

    /** Writes what is left of the windows (best effort) and stops. */
    @Override
    public void close() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("closing the store subscription failed", e);
            }
        }
        try {
            thread.submit(() -> {
                guarded("writing the last metric windows", this::flushWindows);
                guarded("writing the last shadow results", this::flushShadow);
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("final window flush did not finish", e);
        }
        thread.shutdownNow();
    }

    // ---- on the sync thread --------------------------------------------------------------

    /** One poll as the scheduler runs it, waited for: tests drive the poll instead of waiting for the next one. */
    void pollAndWait() throws Exception {
        thread.submit(() -> guarded("reading the state store", this::refresh)).get(5, TimeUnit.SECONDS);
    }

    private void refresh() {
        // A request taken here and then lost to a failure is not lost: the outage makes the next refresh read all.
        boolean readAll = fullReadAsked.getAndSet(false) || !status.reachable();
        if (reconcilePending) {
            migration.reconcile(file);
            reconcilePending = false;
            readAll = true;
        }
        RouteStatesStamp stamp = store.routeStatesStamp(); // first: a write after this line moves the next stamp
        reachable();
        Instant now = clock.instant();
        boolean stampStillHolds = appliedStamp.equals(Optional.of(stamp)) && now.isBefore(lastFullRead.plus(FULL_READ_INTERVAL));
        if (stampStillHolds && !readAll) return;
        Map<String, RouteState> states = migration.states();
        if (!states.equals(known)) serve(states);
        appliedStamp = Optional.of(stamp);
        lastFullRead = now;
    }

    private void serve(Map<String, RouteState> states) {
        GatewayConfig effective = Migration.overlay(file, states);
        GatewayConfig serving = gateway.config();
        if (!effective.equals(serving)) {
            // Close the window at the switch: evidence about a step is only what was served at that step.
            pending(windows.cut());
            gateway.apply(effective);
            logMoves(serving, effective);
        }
        known = Map.copyOf(states);
    }

    private void flushWindows() {
        pending(windows.cut());
        boolean wrote = false;
        while (!pending.isEmpty()) {
            store.addWindow(pending.peekFirst()); // throws when unreachable: the window stays queued
            pending.removeFirst();
            wrote = true;
        }
        if (wrote) reachable(); // nothing written proves nothing about the store
    }

    private void flushShadow() {
        shadow.ifPresent(ShadowFlush::flush);
    }

    private void pending(List<MetricWindow> cut) {
        pending.addAll(cut);
        while (pending.size() > MAX_PENDING_WINDOWS) {
            pending.removeFirst();
            windowsDropped.incrementAndGet();
        }
    }

    private void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (StoreException e) {
            unreachable(e);
        } catch (RuntimeException e) {
            LOG.error("{} failed unexpectedly; the gateway keeps serving its current routes", what, e);
        }
    }

    private void reachable() {
        Status s = status;
        if (!s.reachable()) LOG.info("state store reachable again ({}); following it", store.url());
        status = new Status(true, Optional.empty(), Optional.empty(), Optional.of(clock.instant()), windowsDropped.get());
    }

    private void unreachable(StoreException e) {
        Status s = status;
        if (s.reachable()) LOG.warn("state store unreachable ({}): serving the last known stages: {}", store.url(), e.getMessage());
        status = new Status(false, Optional.of(s.unreachableSince().orElse(clock.instant())), Optional.of(e.getMessage()),
                s.lastSync(), windowsDropped.get());
    }

    private static void logMoves(GatewayConfig before, GatewayConfig after) {
        Map<String, dev.strangler.core.plan.Position> was = new java.util.HashMap<>();
        before.routes().forEach(r -> was.put(r.name(), r.position()));
        for (var r : after.routes()) {
            var from = was.get(r.name());
            if (from != null && !from.equals(r.position())) LOG.info("route {} now serves as {} (was {})", r.name(), r.position(), from);
        }
    }
}
