package dev.strangler.control.catalog;

import dev.strangler.control.BackgroundThread;
import dev.strangler.core.catalog.Catalog;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointGrouping;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.coupling.SessionAffinity;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoreException;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Learns the endpoint catalog from this gateway's traffic without adding work to the request path:
 * an event loop only offers the finished request's {@link Outcome} to a bounded queue (dropped and
 * counted when full, never waited on). One background thread templates the paths and aggregates
 * them into a {@link Catalog}, and writes the cumulative catalog to the store now and then.
 *
 * <p>At start it loads what this gateway wrote before (same {@code gateway} name), so counts go on
 * across restarts, and the endpoints declared by an imported OpenAPI document, so they are known
 * even before they are called.
 *
 * <p>On the same thread it learns the <b>coupling</b> between endpoint groups: each request that
 * carries a client key ({@link Outcome#clientKey()}) is added to a bounded {@link SessionAffinity}
 * under its endpoint group, named as {@code analyze} names groups ({@link EndpointGrouping} over this
 * gateway's catalog, refreshed at every save). The matrix is saved with the catalog, cumulative
 * since this gateway first ran (what was stored is loaded back as a base), and readers sum the fleet.
 */
public final class CatalogRecorder implements ExchangeObserver, AutoCloseable {
    /** Requests waiting to be aggregated; beyond this the catalog misses some (counted), the user never waits. */
    static final int QUEUE_CAPACITY = 65_536;
    /** As many templates as the catalog keeps endpoints: what resolving a request path gives, short of floods of odd paths. */
    static final int GROUP_NAMES_REMEMBERED = Catalog.DEFAULT_MAX_ENDPOINTS;
    /**
     * Short on purpose: every queued outcome is alive when a young collection runs, and the collector
     * copies what is alive. Drained every 100 ms, a gateway at 40,000 requests/s kept about 4,000
     * outcomes queued, so every young pause copied them (the age-1 survivors fell about eightfold at
     * 10 ms; docs/performance.md, "Issue 14, fourth round"). Waking 100 times a second costs the
     * aggregator nothing measurable; the batches it takes are just smaller.
     */
    private static final Duration DRAIN_EVERY = Duration.ofMillis(10);
    /** The backend of requests the gateway refused itself (a malformed path): {@code ProxyVerticle}. */
    private static final String REFUSED_BY_GATEWAY = "strangler";
    private static final Logger LOG = LoggerFactory.getLogger(CatalogRecorder.class);

    private final String gateway;
    private final StateStore store;
    private final Clock clock;
    /**
     * Lock-free for the event loops (many producers) and the one aggregator (consumer): JCTools'
     * bounded MPSC array queue as Netty ships it. A lock-based queue made every request take a lock
     * the aggregator holds while draining.
     */
    private final Queue<Outcome> queue = PlatformDependent.newFixedMpscQueue(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Catalog catalog = new Catalog(); // only the recorder's thread touches it
    private final SessionAffinity coupling = new SessionAffinity(); // likewise
    private Affinity storedCoupling = Affinity.NONE;
    private EndpointGrouping grouping = EndpointGrouping.of(List.of());
    private int groupedEndpoints = -1;
    /**
     * Group names by template under the current {@link #grouping}: naming a template's group splits it
     * and builds strings, while a session's requests repeat a few templates. Emptied at every regroup;
     * at most {@link #GROUP_NAMES_REMEMBERED} (beyond, names are worked out each time).
     */
    private final Map<String, String> groupNames = new HashMap<>();
    private final ScheduledExecutorService thread;
    private volatile long overflow;

    /** @param gateway stable across restarts of this gateway (host and port), unlike a fleet member's window name */
    public CatalogRecorder(String gateway, StateStore store, Clock clock) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thread = BackgroundThread.scheduler("strangler-catalog");
    }

    /** Loads what was stored and starts aggregating; writes to the store every {@code saveEvery}. */
    public void start(Duration saveEvery) {
        thread.execute(() -> guarded("loading the stored catalog", this::load));
        thread.scheduleWithFixedDelay(() -> guarded("aggregating requests", this::drain),
                DRAIN_EVERY.toMillis(), DRAIN_EVERY.toMillis(), TimeUnit.MILLISECONDS);
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
        if (!queue.offer(outcome)) dropped.incrementAndGet();
    }

    /** Requests not kept because the catalog reached its bound on endpoints (e.g. a flood of random paths). */
    public long overflow() {
        return overflow;
    }

    /** Requests the catalog missed because the aggregator fell behind. */
    public long dropped() {
        return dropped.get();
    }

    /** Aggregates what is queued and writes the catalog now; blocking. For the API and tests. */
    public List<EndpointSummary> flush() {
        try {
            return thread.submit(() -> {
                drain();
                save();
                return catalog.snapshot();
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof StoreException s) throw s;
            throw new IllegalStateException("flushing the catalog failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        try {
            thread.submit(() -> guarded("writing the catalog", () -> {
                drain();
                save();
            })).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("final catalog write did not finish", e);
        }
        thread.shutdownNow();
    }

    // ---- on the recorder's thread ------------------------------------------------------------

    private void load() {
        for (EndpointSummary s : store.catalog()) {
            if (s.declared()) catalog.declare(s.key());
        }
        for (EndpointSummary s : store.catalog(gateway)) catalog.merge(s);
        storedCoupling = store.coupling(gateway);
        regroup();
    }

    private void drain() {
        Instant at = clock.instant();
        for (Outcome o = queue.poll(); o != null; o = queue.poll()) {
            if (o.backend().equals(REFUSED_BY_GATEWAY)) continue; // never reached the monolith: not an endpoint
            routed(o);
            catalog.record(o.method(), o.path(), o.status(), o.durationNanos(), o.bytesIn(), o.bytesOut(), lastRoute, lastStage, at);
            if (o.clientKey().isEmpty() || o.status() / 100 == 4) continue; // a 4xx says little about what a client uses
            if (catalog.size() != groupedEndpoints) regroup(); // a new endpoint may move the common prefix
            coupling.record(o.clientKey(), groupName(catalog.templater().resolve(o.path())), at.toEpochMilli());
        }
        overflow = catalog.overflow();
    }

    /**
     * The route and stage of the request {@link #drain} records, as the catalog takes them; empty when
     * unrouted. Requests in a row mostly share them, so the last ones are kept rather than two
     * Optionals allocated per request.
     */
    private Optional<String> lastRoute = Optional.empty();
    private Optional<Stage> lastStage = Optional.empty();

    private void routed(Outcome o) {
        if (o.route().equals(Outcome.UNROUTED)) {
            lastRoute = Optional.empty();
            lastStage = Optional.empty();
        } else if (lastRoute.isEmpty() || !lastRoute.get().equals(o.route()) || lastStage.get() != o.stage()) {
            lastRoute = Optional.of(o.route());
            lastStage = Optional.of(o.stage());
        }
    }

    private void save() {
        List<EndpointSummary> snapshot = catalog.snapshot();
        store.saveCatalog(gateway, snapshot);
        store.saveCoupling(gateway, storedCoupling.plus(coupling.snapshot()));
        regroup();
    }

    /** Groups as {@code analyze} forms them: over the endpoints that are not junk. */
    private void regroup() {
        groupedEndpoints = catalog.size();
        grouping = EndpointGrouping.of(catalog.templates());
        groupNames.clear();
    }

    private String groupName(String template) {
        String name = groupNames.get(template);
        if (name == null) {
            name = grouping.groupOf(template).name();
            if (groupNames.size() < GROUP_NAMES_REMEMBERED) groupNames.put(template, name);
        }
        return name;
    }

    /** The coupling matrix learnt so far, stored part included; blocking. For the API and tests. */
    public Affinity coupling() {
        try {
            return thread.submit(() -> {
                drain();
                return storedCoupling.plus(coupling.snapshot());
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("reading the coupling failed: " + e, e);
        }
    }

    /** Declares endpoints (an OpenAPI import made while running). */
    public void declare(List<EndpointKey> keys) {
        thread.execute(() -> keys.forEach(catalog::declare));
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
