package dev.strangler.store;

import dev.strangler.core.catalog.EndpointSummary;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The migration control plane's state: where each route is now, the audit log of every change, the
 * metric windows each gateway of a fleet writes, and the endpoint catalog each gateway learns.
 *
 * <p>The store is deliberately dumb: it does not judge whether a stage change is allowed (core
 * does); it persists atomically, tells every process sharing it that something changed, and elects
 * one leader per role. Every method blocks on the database, so callers run them on worker threads,
 * never on an event loop; all are thread-safe. Every method except {@link #leadership} and
 * {@link #health} throws {@link StoreException} when the database fails, and records the failure in
 * {@link #health()}; a later success marks the store reachable again.
 *
 * <p>Two kinds of database: an embedded H2 file (the default, one process per file) and PostgreSQL,
 * which a fleet of gateways shares.
 */
public interface StateStore extends AutoCloseable {

    /** Where the store lives when the config file names none. */
    String DEFAULT_URL = "jdbc:h2:file:./strangler-data/state";

    /**
     * Opens the store at a JDBC URL and brings its schema up to date (Flyway). Blocks.
     *
     * @param jdbcUrl {@code jdbc:h2:file:PATH}, {@code jdbc:h2:mem:NAME} (tests) or
     *                {@code jdbc:postgresql://HOST:PORT/DB?user=...} (a fleet; {@code currentSchema=NAME}
     *                selects, and creates if needed, the schema)
     * @throws StoreException with what to do about it, for an unsupported URL, an unreachable
     *                        database or an H2 file in use by another process
     */
    static StateStore open(String jdbcUrl) {
        return JdbcStateStore.open(jdbcUrl);
    }

    /** The URL with any password redacted, for logs. */
    String url();

    /** True for PostgreSQL (a fleet can share it), false for H2. */
    boolean shared();

    /** Every route's state, by route name. */
    List<RouteState> routeStates();

    Optional<RouteState> routeState(String route);

    /**
     * A cheap summary of every route's state that changes whenever any of them does: a follower
     * reads it first and reads {@link #routeStates()} only when it moved. It is one aggregate row
     * (how many routes have a state, and the sum of their versions), not one object per route.
     *
     * <p>Why it is strict: route states are only ever written by {@link #create} (a new row at
     * version 1) and {@link #compareAndSet} (the row's version + 1, whatever else changes, removal
     * from the file included: {@code removed_at} is a column, no row is ever deleted). So every
     * committed write raises the sum by exactly one, and no write lowers it: two equal stamps
     * enclose no write, and a reader that read the stamp <em>before</em> reading the states holds
     * at least what the stamp counts. That holds per row, so a stamp read concurrently with writes is
     * still safe: it sees each row at its old or its new version, and a write it missed raises the next
     * stamp. (A write that failed or lost its compare-and-set leaves the stamp as it was.)
     *
     * <p>What is outside the argument: SQL run on the table by hand, and a schema migration that
     * rewrites rows without raising their version (V10 does, for {@code sticky_hash}; it runs before
     * the store opens, so no reader of this version can hold a stamp from before it). A follower
     * therefore still reads every state now and then, whatever the stamp says.
     */
    RouteStatesStamp routeStatesStamp();

    /**
     * Inserts a route's first state (stored as version 1) together with its audit entry, in one
     * transaction, and notifies listeners.
     *
     * @return false, with nothing written, when the route already has a state
     */
    boolean create(RouteState state, AuditEntry entry);

    /**
     * In one transaction: replaces the route's state with {@code next} (stored with version
     * {@code expectedVersion + 1}) if its stored version is still {@code expectedVersion}, and
     * appends the audit entry. Then notifies every listener of every process sharing the store.
     *
     * @param entry the audit entry, or null for a change that is not audited
     * @return false, with nothing written, when the version had moved (or the route has no state)
     */
    boolean compareAndSet(long expectedVersion, RouteState next, AuditEntry entry);

    /** Appends an audit entry alone (for example a refused config); returns it with its id. */
    AuditEntry audit(AuditEntry entry);

    /**
     * Newest first.
     *
     * @param route empty for every route
     * @param limit 1..1000
     */
    List<AuditEntry> audit(Optional<String> route, int limit);

    /**
     * Writes one window. A second write of the same key (gateway, route, start) adds its counts to
     * the first and concatenates the latency samples up to {@link MetricWindow#SAMPLE_LIMIT}.
     */
    void addWindow(MetricWindow window);

    /** Every gateway's windows of a route with {@code start >= since}, oldest first. */
    List<MetricWindow> windows(String route, Instant since);

    /** Every route's windows with {@code start >= since}, oldest first: one query for a view of all routes. */
    List<MetricWindow> windows(Instant since);

    /**
     * For each route asked, what {@link #windows(String, Instant)} returns for it with its own
     * {@code since} — every gateway's windows with {@code start >= since}, oldest first (then by
     * gateway) — read in one transaction with few queries, whatever the number of routes: the
     * controller's tick over a thousand routes.
     *
     * @param sinceByRoute each route with the earliest window start it wants
     * @return every asked route, with an empty list when it has no such window, and no other
     */
    Map<String, List<MetricWindow>> windows(Map<String, Instant> sinceByRoute);

    /** Keeps the controller's latest judgement of a route, replacing the previous one. */
    void saveDecision(RouteDecision decision);

    /**
     * Keeps the controller's latest judgements of several routes in one transaction, each only if its
     * route's state is still at the version it was judged on: a route changed since (moved, paused,
     * resumed, by a person or by the file) keeps what it has, since the judgement speaks of a state the
     * route has left. The versions are checked with the states locked in the same transaction, so a
     * concurrent {@link #compareAndSet} of a route either comes first (its decision is left out) or
     * waits until this commits. Each written route's stored decision is the one given, as if
     * {@link #saveDecision} had been called for each in turn (the last of a route wins); all or none
     * are written.
     *
     * @return the routes whose decision was written; a route without a state is never written
     */
    Set<String> saveDecisions(List<JudgedDecision> decisions);

    /** Every route's latest judgement by the controller, by route name order. */
    List<RouteDecision> decisions();

    /**
     * Appends one snapshot of the migration's progress (one row per stage, all with the same
     * {@code takenAt}), in one transaction.
     *
     * @throws IllegalArgumentException when the rows do not share one {@code takenAt}, with nothing written
     */
    void saveProgress(List<ProgressSnapshot> snapshot);

    /** Every progress row with {@code takenAt >= since}, oldest first (then by stage). */
    List<ProgressSnapshot> progress(Instant since);

    /** When the latest progress snapshot was taken; empty when none was. */
    Optional<Instant> latestProgress();

    /**
     * Forgets the controller's latest judgement of a route: a person moved it since, so the
     * judgement speaks of a position the route has left. Nothing happens when there is none.
     */
    void clearDecision(String route);

    /**
     * Deletes every window with {@code start < olderThan} (exactly those that
     * {@code windows(route, olderThan)} leaves out).
     *
     * @return how many were deleted
     */
    int pruneWindows(Instant olderThan);

    /**
     * Writes one gateway's cumulative shadow results of one key (gateway, route, service, service
     * digest), replacing what that gateway wrote for the key before. Each gateway writes its own rows
     * from one thread.
     */
    void saveShadowResult(StoredShadowResult result);

    /** Every gateway's shadow results of a route, every service, most recently updated first. */
    List<StoredShadowResult> shadowResults(String route);

    /**
     * Deletes the shadow results not updated since {@code olderThan}: results against a service the
     * route left, or of gateways gone, age out.
     *
     * @return how many rows were deleted
     */
    int pruneShadowResults(Instant olderThan);

    /**
     * Replaces everything stored for this gateway's catalog with {@code endpoints}, in one transaction:
     * a gateway sends its whole, cumulative catalog each time, so a reader sees either the previous
     * one or this one. Two summaries of the same endpoint in the list are added together. A gateway
     * saves from one thread; concurrent saves of the same gateway may fail.
     *
     * <p>Instants are stored to the microsecond.
     *
     * @param endpoints an empty list removes the gateway's catalog
     * @throws IllegalArgumentException for a template longer than {@value EndpointCatalogTable#TEMPLATE_MAX_LENGTH}
     *                                  characters, with nothing written
     */
    void saveCatalog(String gateway, List<EndpointSummary> endpoints);

    /**
     * The fleet's catalog: every gateway's summaries of an endpoint added together
     * ({@link EndpointSummary#plus}), sorted by key.
     */
    List<EndpointSummary> catalog();

    /** What one gateway saved last, sorted by key: what it loads back at restart to go on counting. */
    List<EndpointSummary> catalog(String gateway);

    /**
     * Replaces this gateway's coupling matrix (which endpoint groups its client sessions used
     * together, cumulative) with {@code affinity}, in one transaction, as {@link #saveCatalog} does.
     * Group names longer than 512 characters are left out.
     */
    void saveCoupling(String gateway, dev.strangler.core.coupling.Affinity affinity);

    /** The fleet's coupling matrix: every gateway's counts added ({@code Affinity.plus}); empty when none saved. */
    dev.strangler.core.coupling.Affinity coupling();

    /** What one gateway saved last: what it loads back at restart to go on counting. */
    dev.strangler.core.coupling.Affinity coupling(String gateway);

    /**
     * Calls {@code listener} after any process sharing the store changed a route state (create or
     * compare-and-set). It runs on a store-owned thread and must be quick: typically it schedules a
     * re-read. On PostgreSQL it is also called once after the store reconnects from an outage, since
     * changes may have been missed meanwhile. Blocks until the subscription is live (on PostgreSQL, at
     * most a few seconds when the database is down; it keeps retrying in the background).
     *
     * @return closing it unsubscribes
     */
    AutoCloseable onChange(Runnable listener);

    /** Leadership of one named role (for example {@code "controller"}) among the processes sharing the store. */
    Leadership leadership(String role);

    /** Whether the database answered the last call, and the last failure. Never blocks on the database. */
    StoreHealth health();

    /** Releases leaderships, stops notifications and closes the connections. */
    @Override
    void close();
}
