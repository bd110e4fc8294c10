package dev.strangler.control.catalog;

import dev.strangler.control.BackgroundThread;
import dev.strangler.core.catalog.Catalog;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.coupling.SessionAffinity;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Learns the endpoint catalog from this gateway's traffic, on the event loops themselves: each loop
 * records its finished requests into a {@link CatalogShard} of its own ({@link PerEventLoop}), a
 * catalog and a coupling matrix no other thread touches, so recording takes no lock and wakes no
 * thread. The shards are merged only when the catalog is read: the periodic write to the store, the
 * admin API ({@link #flush}, {@link #coupling}) and {@link #close}. A read asks each loop for its
 * shard's summaries by running a task on that loop, so it sees each loop's requests whole, and merges
 * them into one {@link Catalog}, reconciled once, as the fleet's gateways are merged.
 *
 * <p>Why not a thread of its own: the recorder used to have the loops queue each request for a
 * background thread that woke every 10 ms to aggregate. On the one core a pinned gateway gets, each
 * wake-up preempted the event loop, and half of that thread's share of the core was waking and
 * waiting (docs/performance.md, "Issue 14, fourth round"). The aggregation itself, templating a path
 * and adding to its endpoint, allocates nothing for a known endpoint, and now runs where the request
 * ended. The only periodic task left is the write to the store, at the interval given to
 * {@link #start}.
 *
 * <p>A caller that is not an event loop (a worker thread, a test) records into one more shard under
 * its lock. Every request is counted; {@link #dropped()} counts only requests whose recording failed.
 *
 * <p>At start it loads what this gateway wrote before (same {@code gateway} name), which the first
 * event loop's shard takes on so that its counts go on across restarts, and the endpoints declared by
 * an imported OpenAPI document, which every shard declares, so they are known even before they are
 * called. Each request that carries a client key ({@link Outcome#clientKey()}) counts towards the
 * <b>coupling</b> of endpoint groups; the matrix is saved with the catalog, cumulative since this
 * gateway first ran, and readers sum the fleet. A client whose requests reach two event loops counts
 * as a session on each, as one spread over two gateways does; each loop keeps its share of the
 * {@link SessionAffinity#DEFAULT_MAX_SESSIONS} live sessions a gateway holds.
 *
 * <p>Templates are learnt per shard: with several event loops, a position one loop has generalized
 * ({@code /posts/{postId}}) and another not yet shows both ways in a read until the other learns it
 * too, as between two gateways.
 */
public final class CatalogRecorder implements ExchangeObserver, AutoCloseable {
    /** How long a read waits for one event loop to answer before it uses that loop's previous answer. */
    static final Duration LOOP_ANSWER_TIMEOUT = Duration.ofSeconds(5);
    /** The backend of requests the gateway refused itself (a malformed path): {@code ProxyVerticle}. */
    private static final String REFUSED_BY_GATEWAY = "strangler";
    private static final Logger LOG = LoggerFactory.getLogger(CatalogRecorder.class);

    private final String gateway;
    private final StateStore store;
    private final Clock clock;
    /** Loads and writes the catalog; wakes only at the save interval. */
    private final ScheduledExecutorService thread;
    private final int sessionsPerShard;
    private final PerEventLoop<CatalogShard> loops;
    /** For callers that are not event loops; guarded by itself. */
    private final CatalogShard others;
    // Guarded by loops' lock, so that a loop joining and a read see them change together:
    /** What this gateway stored before, until the first loop's shard takes it on. */
    private Optional<Stored> unclaimed = Optional.empty();
    private final Set<EndpointKey> declared = new LinkedHashSet<>();
    // Guarded by this (reads):
    /** Each loop's last answer, used when it does not answer a read in time. */
    private final Map<CatalogShard, CatalogShard.Piece> lastAnswers = new IdentityHashMap<>();
    /** The templates of the last read, for every shard's group names. */
    private volatile List<String> known = List.of();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long overflow;

    private record Stored(List<EndpointSummary> endpoints, Affinity coupling) {
        CatalogShard.Piece asPiece() {
            return new CatalogShard.Piece(endpoints, coupling, 0);
        }
    }

    /** What a read gives: the merged, reconciled catalog and coupling. */
    private record Merged(List<EndpointSummary> endpoints, Affinity coupling) {}

    /** For a gateway on one event loop (tests, tools). */
    public CatalogRecorder(String gateway, StateStore store, Clock clock) {
        this(gateway, store, clock, 1);
    }

    /**
     * @param gateway    stable across restarts of this gateway (host and port), unlike a fleet member's window name
     * @param eventLoops the gateway's: each loop's part keeps its share of the sessions, so that the
     *                   coupling's memory stays bounded as with one part
     */
    public CatalogRecorder(String gateway, StateStore store, Clock clock, int eventLoops) {
        this(gateway, store, clock, eventLoops, BackgroundThread.scheduler("strangler-catalog"));
    }

    /** @param thread the recorder's own, shut down by {@link #close()} */
    CatalogRecorder(String gateway, StateStore store, Clock clock, int eventLoops, ScheduledExecutorService thread) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thread = Objects.requireNonNull(thread, "thread");
        if (eventLoops < 1) throw new IllegalArgumentException("eventLoops: " + eventLoops + " (expected: >= 1)");
        this.sessionsPerShard = Math.ceilDiv(SessionAffinity.DEFAULT_MAX_SESSIONS, eventLoops);
        this.others = new CatalogShard(clock, () -> known, sessionsPerShard);
        this.loops = new PerEventLoop<>(this::newLoopShard);
    }

    /** Loads what was stored; writes to the store every {@code saveEvery}. */
    public void start(Duration saveEvery) {
        thread.execute(() -> guarded("loading the stored catalog", this::load));
        long every = Math.max(100, saveEvery.toMillis());
        thread.scheduleWithFixedDelay(() -> guarded("writing the catalog", this::save), every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public Set<Extra> reads() {
        return READS;
    }

    /** What {@link #reads()} says, for an observer that hands outcomes on to a recorder made later (ControlPlane). */
    public static final Set<Extra> READS = Set.of(Extra.CLIENT_KEY);

    @Override
    public void onComplete(Outcome outcome) {
        if (outcome.backend().equals(REFUSED_BY_GATEWAY)) return; // never reached the monolith: not an endpoint
        try {
            CatalogShard loop = loops.current();
            if (loop != null) {
                loop.record(outcome);
            } else {
                synchronized (others) {
                    others.record(outcome);
                }
            }
        } catch (RuntimeException e) { // the request path never fails for the catalog's sake
            if (dropped.getAndIncrement() == 0) LOG.error("recording a request in the catalog failed; counted in dropped from now on", e);
        }
    }

    /** Requests not kept because the catalog reached its bound on endpoints (e.g. a flood of random paths), as of the last read. */
    public long overflow() {
        return overflow;
    }

    /** Requests the catalog missed because recording them failed. */
    public long dropped() {
        return dropped.get();
    }

    /** Reads every event loop's part and writes the catalog now; blocking. For the API and tests. */
    public List<EndpointSummary> flush() {
        try {
            return thread.submit(this::save).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof StoreException s) throw s;
            throw new IllegalStateException("flushing the catalog failed: " + cause, cause);
        }
    }

    /** The coupling matrix learnt so far, stored part included; blocking. For the API and tests. */
    public Affinity coupling() {
        return read().coupling();
    }

    /** Declares endpoints (an OpenAPI import made while running) in every event loop's part, now and to come. */
    public void declare(List<EndpointKey> keys) {
        List<EndpointKey> copy = List.copyOf(keys);
        List<PerEventLoop.Loop<CatalogShard>> now;
        synchronized (loops) {
            declared.addAll(copy);
            now = loops.loops();
        }
        for (PerEventLoop.Loop<CatalogShard> loop : now) {
            if (!loop.post(shard -> shard.declare(copy), LOOP_ANSWER_TIMEOUT)) LOG.debug("an event loop that shuts down did not take the declared endpoints");
        }
        synchronized (others) {
            others.declare(copy);
        }
    }

    @Override
    public void close() {
        try {
            thread.submit(() -> guarded("writing the catalog", this::save)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("final catalog write did not finish", e);
        }
        thread.shutdownNow();
    }

    /** Loops that have recorded a request: for tests. */
    int eventLoops() {
        return loops.loops().size();
    }

    /** Called by {@link PerEventLoop} on a loop's thread, under its lock, the first time that loop records. */
    private CatalogShard newLoopShard() {
        CatalogShard shard = new CatalogShard(clock, () -> known, sessionsPerShard);
        shard.declare(declared);
        unclaimed.ifPresent(stored -> shard.adopt(stored.endpoints(), stored.coupling()));
        unclaimed = Optional.empty();
        return shard;
    }

    // ---- blocking, off the event loops -----------------------------------------------------------

    private void load() {
        List<EndpointKey> fleetDeclared = store.catalog().stream().filter(EndpointSummary::declared).map(EndpointSummary::key).toList();
        declare(fleetDeclared);
        Stored stored = new Stored(store.catalog(gateway), store.coupling(gateway));
        synchronized (loops) {
            List<PerEventLoop.Loop<CatalogShard>> now = loops.loops();
            // Posted before any later read's task, so that read finds it taken on (a loop runs its tasks in order).
            boolean taken = !now.isEmpty() && now.getFirst().post(shard -> shard.adopt(stored.endpoints(), stored.coupling()), LOOP_ANSWER_TIMEOUT);
            if (!taken) unclaimed = Optional.of(stored);
        }
        synchronized (this) { // with the reads, which set it too
            List<String> union = new ArrayList<>(known);
            union.addAll(templates(stored.endpoints()));
            known = List.copyOf(union);
        }
    }

    private List<EndpointSummary> save() {
        Merged merged = read();
        store.saveCatalog(gateway, merged.endpoints());
        store.saveCoupling(gateway, merged.coupling());
        return merged.endpoints();
    }

    /**
     * Every shard's part, each taken on its loop, merged into one catalog and reconciled as a whole.
     * A loop that does not answer in time (blocked, or shutting down) counts with its previous answer,
     * so a read never goes back on what an earlier one saw.
     */
    private synchronized Merged read() {
        List<PerEventLoop.Loop<CatalogShard>> now;
        Optional<Stored> stored;
        List<EndpointKey> declaredNow;
        synchronized (loops) {
            now = loops.loops();
            stored = unclaimed;
            declaredNow = List.copyOf(declared);
        }
        List<CatalogShard.Piece> pieces = new ArrayList<>(now.size() + 2);
        for (PerEventLoop.Loop<CatalogShard> loop : now) {
            Optional<CatalogShard.Piece> answer = loop.read(CatalogShard::read, LOOP_ANSWER_TIMEOUT);
            answer.ifPresentOrElse(piece -> lastAnswers.put(loop.value(), piece),
                    () -> LOG.debug("an event loop did not answer within {}: its previous part is used", LOOP_ANSWER_TIMEOUT));
            pieces.add(lastAnswers.getOrDefault(loop.value(), CatalogShard.Piece.NONE));
        }
        synchronized (others) {
            pieces.add(others.read());
        }
        stored.ifPresent(s -> pieces.add(s.asPiece()));

        Catalog catalog = new Catalog();
        declaredNow.forEach(catalog::declare);
        Affinity coupling = Affinity.NONE;
        long overflowed = 0;
        for (CatalogShard.Piece piece : pieces) {
            piece.endpoints().forEach(catalog::merge);
            coupling = coupling.plus(piece.coupling());
            overflowed += piece.overflow();
        }
        List<EndpointSummary> endpoints = catalog.snapshot();
        overflow = overflowed + catalog.overflow();
        known = List.copyOf(catalog.templates());
        return new Merged(endpoints, coupling);
    }

    /** The templates {@link Catalog#templates()} would give for these summaries: those that are not junk. */
    private static List<String> templates(List<EndpointSummary> endpoints) {
        return endpoints.stream().filter(EndpointSummary::isKnownEndpoint).map(e -> e.key().template()).toList();
    }

    private void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (StoreException e) {
            LOG.debug("{}: state store unreachable: {}", what, e.getMessage()); // StateSync reports the outage
        } catch (RuntimeException e) {
            LOG.error("{} failed; the catalog misses these requests, the gateway is unaffected", what, e);
        }
    }
}
