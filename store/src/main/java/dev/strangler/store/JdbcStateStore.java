package dev.strangler.store;

import com.zaxxer.hikari.HikariConfig;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@link StateStore} on JDBC: a small HikariCP pool for the calls, Flyway for the schema, and
 * one transaction per call.
 *
 * <p>Change notices: on PostgreSQL a change runs {@code pg_notify} in its own transaction and every
 * process (this one included) hears it through {@link PostgresChangeFeed}; on H2, which one process
 * owns, the store tells its own listeners after commit, on its own thread.
 *
 * <p>The pool is small (a gateway writes a window every few seconds, the controller reads a few
 * rows) and gives up on a connection after {@value #CONNECTION_TIMEOUT_MILLIS} ms, so an outage
 * fails callers fast instead of stacking them up.
 */
final class JdbcStateStore implements StateStore {

    static final int POOL_SIZE = 4;
    static final long CONNECTION_TIMEOUT_MILLIS = StoreUrl.CONNECT_TIMEOUT_SECONDS * 1000L;
    static final int AUDIT_LIMIT_MAX = 1000;
    /** Flyway's bookkeeping table, named so it cannot clash with an application's own Flyway in a shared schema. */
    static final String SCHEMA_HISTORY_TABLE = "strangler_schema_history";

    private static final Logger log = LoggerFactory.getLogger(JdbcStateStore.class);
    private static final int WINDOW_WRITE_ATTEMPTS = 3;

    private final StoreUrl url;
    private final HikariDataSource pool;
    private final Reachability reachability;
    private final ChangeListeners listeners = new ChangeListeners();
    private final ExecutorService localNotices;
    private final Set<Leadership> leaderships = ConcurrentHashMap.newKeySet();
    private PostgresChangeFeed feed; // started by the first onChange, guarded by this
    private volatile boolean closed;

    private JdbcStateStore(StoreUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
        this.reachability = new Reachability(Clock.systemUTC(), url.redacted());
        this.localNotices = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("strangler-store-changes").factory());
    }

    /** Blocks: connects, migrates. */
    static JdbcStateStore open(String jdbcUrl) {
        StoreUrl url = StoreUrl.parse(jdbcUrl);
        // One plain connection first: the driver's own reason (refused, locked file, bad password) beats the pool's timeout.
        try (Connection probe = DriverManager.getConnection(url.jdbcUrl(), url.connectDefaults())) {
            Objects.requireNonNull(probe, "no JDBC driver accepted the URL");
        } catch (SQLException e) {
            throw StoreException.of("opening the store", url.redacted(), e);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(url));
        } catch (RuntimeException e) {
            throw StoreException.of("opening the connection pool", url.redacted(), e);
        }
        try {
            migrate(url, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw StoreException.of("migrating the store's tables", url.redacted(), e);
        }
        log.info("State store open: {} ({})", url.redacted(),
                url.shared() ? "PostgreSQL, shared by the fleet" : "H2, this process only");
        return new JdbcStateStore(url, pool);
    }

    private static HikariConfig poolConfig(StoreUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("strangler-store");
        config.setJdbcUrl(url.jdbcUrl());
        config.setDriverClassName(url.kind().driverClass);
        config.setDataSourceProperties(url.connectDefaults());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.setValidationTimeout(CONNECTION_TIMEOUT_MILLIS / 2);
        return config;
    }

    private static void migrate(StoreUrl url, HikariDataSource pool) {
        FluentConfiguration flyway = Flyway.configure(JdbcStateStore.class.getClassLoader())
                .dataSource(pool)
                .locations("classpath:db/migration/common")
                .failOnMissingLocations(true)
                .table(SCHEMA_HISTORY_TABLE);
        url.schema().ifPresent(schema -> flyway.schemas(schema).createSchemas(true));
        flyway.load().migrate();
    }

    @Override
    public String url() {
        return url.redacted();
    }

    @Override
    public boolean shared() {
        return url.shared();
    }

    @Override
    public List<RouteState> routeStates() {
        return transaction("reading route states", RouteStateTable::selectAll);
    }

    @Override
    public Optional<RouteState> routeState(String route) {
        Objects.requireNonNull(route, "route");
        return transaction("reading the state of route " + route, c -> RouteStateTable.select(c, route));
    }

    @Override
    public RouteStatesStamp routeStatesStamp() {
        return transaction("reading the route states' stamp", RouteStateTable::stamp);
    }

    @Override
    public boolean create(RouteState state, AuditEntry entry) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(entry, "entry");
        return changeRoute("creating the state of route " + state.route(), state.route(), c -> {
            if (!RouteStateTable.insert(c, state)) return false;
            AuditLogTable.insert(c, entry);
            return true;
        });
    }

    @Override
    public boolean compareAndSet(long expectedVersion, RouteState next, AuditEntry entry) {
        Objects.requireNonNull(next, "next");
        return changeRoute("changing the state of route " + next.route(), next.route(), c -> {
            if (!RouteStateTable.update(c, expectedVersion, next)) return false;
            if (entry != null) AuditLogTable.insert(c, entry);
            return true;
        });
    }

    /** Runs a change that may not apply (false: rolled back, nobody told); when it applies, tells every listener. */
    private boolean changeRoute(String doing, String route, Sql.Work<Boolean> change) {
        boolean changed = transaction(doing, c -> {
            if (!change.run(c)) {
                c.rollback();
                return false;
            }
            if (url.shared()) announce(c, route);
            return true;
        });
        if (changed && !url.shared()) {
            try {
                localNotices.execute(listeners::fire);
            } catch (RejectedExecutionException closing) {
                // the store is closing: nobody is left to tell
            }
        }
        return changed;
    }

    /** Delivered by PostgreSQL at commit, to every listening session, only if the transaction commits. */
    private static void announce(Connection connection, String route) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement(
                "SELECT pg_notify('" + PostgresChangeFeed.CHANNEL + "', coalesce(current_schema(), '') || '/' || ?)")) {
            notify.setString(1, route);
            notify.execute();
        }
    }

    @Override
    public AuditEntry audit(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return transaction("appending to the audit log", c -> AuditLogTable.insert(c, entry));
    }

    @Override
    public List<AuditEntry> audit(Optional<String> route, int limit) {
        Objects.requireNonNull(route, "route");
        if (limit < 1 || limit > AUDIT_LIMIT_MAX) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: 1.." + AUDIT_LIMIT_MAX + ")");
        }
        return transaction("reading the audit log", c -> AuditLogTable.selectNewestFirst(c, route, limit));
    }

    @Override
    public void addWindow(MetricWindow window) {
        Objects.requireNonNull(window, "window");
        String doing = "adding a metric window of route " + window.route() + " from gateway " + window.gateway();
        for (int attempt = 1; attempt <= WINDOW_WRITE_ATTEMPTS; attempt++) {
            boolean written = transaction(doing, c -> {
                boolean inserted = MetricWindowTable.add(c, window);
                if (!inserted) c.rollback(); // another writer inserted the same key first: merge into theirs
                return inserted;
            });
            if (written) return;
        }
        throw new StoreException("store: " + doing + " failed on " + url.redacted() + ": the same window kept being "
                + "written concurrently (" + WINDOW_WRITE_ATTEMPTS + " attempts). Each gateway should write its own "
                + "windows from one thread");
    }

    @Override
    public List<MetricWindow> windows(String route, Instant since) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(since, "since");
        return transaction("reading the metric windows of route " + route,
                c -> MetricWindowTable.selectSince(c, route, since));
    }

    @Override
    public List<MetricWindow> windows(Instant since) {
        Objects.requireNonNull(since, "since");
        return transaction("reading the metric windows", c -> MetricWindowTable.selectAllSince(c, since));
    }

    @Override
    public Map<String, List<MetricWindow>> windows(Map<String, Instant> sinceByRoute) {
        Objects.requireNonNull(sinceByRoute, "sinceByRoute");
        if (sinceByRoute.isEmpty()) return Map.of();
        return transaction("reading the metric windows of " + sinceByRoute.size() + " routes",
                c -> MetricWindowTable.selectEachSince(c, sinceByRoute));
    }

    @Override
    public void saveDecision(RouteDecision decision) {
        Objects.requireNonNull(decision, "decision");
        transaction("keeping the controller's decision on route " + decision.route(), c -> {
            RouteDecisionTable.replace(c, List.of(decision));
            return null;
        });
    }

    @Override
    public Set<String> saveDecisions(List<JudgedDecision> decisions) {
        Objects.requireNonNull(decisions, "decisions");
        if (decisions.isEmpty()) return Set.of();
        return transaction("keeping the controller's decisions on " + decisions.size() + " routes",
                c -> RouteDecisionTable.replaceIfCurrent(c, decisions));
    }

    @Override
    public void clearDecision(String route) {
        Objects.requireNonNull(route, "route");
        transaction("forgetting the controller's decision on route " + route, c -> {
            RouteDecisionTable.delete(c, route);
            return null;
        });
    }

    @Override
    public List<RouteDecision> decisions() {
        return transaction("reading the controller's decisions", RouteDecisionTable::selectAll);
    }

    @Override
    public void saveProgress(List<ProgressSnapshot> snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (snapshot.isEmpty()) return;
        Instant at = snapshot.getFirst().takenAt();
        for (ProgressSnapshot s : snapshot) {
            if (!s.takenAt().equals(at)) {
                throw new IllegalArgumentException("snapshot: rows taken at " + at + " and " + s.takenAt()
                        + " (expected: one takenAt for the whole snapshot)");
            }
        }
        transaction("keeping a progress snapshot", c -> {
            ProgressSnapshotTable.insert(c, snapshot);
            return null;
        });
    }

    @Override
    public List<ProgressSnapshot> progress(Instant since) {
        Objects.requireNonNull(since, "since");
        return transaction("reading the progress snapshots", c -> ProgressSnapshotTable.selectSince(c, since));
    }

    @Override
    public Optional<Instant> latestProgress() {
        return Optional.ofNullable(transaction("reading the latest progress snapshot", ProgressSnapshotTable::latest));
    }

    @Override
    public int pruneWindows(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        return transaction("pruning metric windows", c -> MetricWindowTable.deleteStartingBefore(c, olderThan));
    }

    @Override
    public void saveShadowResult(StoredShadowResult result) {
        Objects.requireNonNull(result, "result");
        transaction("saving the shadow results of route " + result.route() + " from gateway " + result.gateway(), c -> {
            ShadowResultTable.replace(c, result);
            return null;
        });
    }

    @Override
    public List<StoredShadowResult> shadowResults(String route) {
        Objects.requireNonNull(route, "route");
        return transaction("reading the shadow results of route " + route, c -> ShadowResultTable.selectRoute(c, route));
    }

    @Override
    public int pruneShadowResults(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        return transaction("pruning shadow results", c -> ShadowResultTable.deleteUpdatedBefore(c, olderThan));
    }

    @Override
    public void saveCatalog(String gateway, List<EndpointSummary> endpoints) {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(endpoints, "endpoints");
        for (EndpointSummary endpoint : endpoints) {
            String template = endpoint.key().template();
            if (template.length() > EndpointCatalogTable.TEMPLATE_MAX_LENGTH) {
                throw new IllegalArgumentException("template: " + template.substring(0, 80) + "... has "
                        + template.length() + " characters (expected: at most "
                        + EndpointCatalogTable.TEMPLATE_MAX_LENGTH + ")");
            }
        }
        Iterable<EndpointSummary> rows = summed(endpoints).values();
        transaction("saving the endpoint catalog of gateway " + gateway, c -> {
            EndpointCatalogTable.replace(c, gateway, rows);
            return null;
        });
    }

    @Override
    public List<EndpointSummary> catalog() {
        List<EndpointSummary> rows = transaction("reading the endpoint catalog",
                c -> EndpointCatalogTable.select(c, Optional.empty()));
        return List.copyOf(summed(rows).values());
    }

    @Override
    public List<EndpointSummary> catalog(String gateway) {
        Objects.requireNonNull(gateway, "gateway");
        List<EndpointSummary> rows = transaction("reading the endpoint catalog of gateway " + gateway,
                c -> EndpointCatalogTable.select(c, Optional.of(gateway)));
        return List.copyOf(summed(rows).values());
    }

    @Override
    public void saveCoupling(String gateway, dev.strangler.core.coupling.Affinity affinity) {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(affinity, "affinity");
        transaction("saving the endpoint coupling of gateway " + gateway, c -> {
            EndpointCouplingTable.replace(c, gateway, affinity);
            return null;
        });
    }

    @Override
    public dev.strangler.core.coupling.Affinity coupling() {
        return transaction("reading the endpoint coupling", c -> EndpointCouplingTable.select(c, Optional.empty()));
    }

    @Override
    public dev.strangler.core.coupling.Affinity coupling(String gateway) {
        Objects.requireNonNull(gateway, "gateway");
        return transaction("reading the endpoint coupling of gateway " + gateway,
                c -> EndpointCouplingTable.select(c, Optional.of(gateway)));
    }

    /** The summaries added per endpoint, in key order. */
    private static Map<EndpointKey, EndpointSummary> summed(List<EndpointSummary> endpoints) {
        Map<EndpointKey, EndpointSummary> byKey = new TreeMap<>();
        for (EndpointSummary endpoint : endpoints) byKey.merge(endpoint.key(), endpoint, EndpointSummary::plus);
        return byKey;
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        AutoCloseable subscription = listeners.add(listener);
        if (url.shared()) startFeed();
        return subscription;
    }

    private synchronized void startFeed() {
        if (feed != null || closed) return;
        feed = new PostgresChangeFeed(url, reachability, listeners::fire);
        feed.start();
    }

    @Override
    public Leadership leadership(String role) {
        Objects.requireNonNull(role, "role");
        Leadership leadership = url.shared() ? new PostgresLeadership(url, role, reachability) : new LocalLeadership();
        leaderships.add(leadership);
        if (closed) leadership.close(); // a closed store leads nothing
        return leadership;
    }

    @Override
    public StoreHealth health() {
        return reachability.health();
    }

    /** One call, one transaction: commits what the work did, or rolls it back and reports the failure. */
    private <T> T transaction(String doing, Sql.Work<T> work) {
        if (closed) throw new StoreException("store: " + doing + " on " + url.redacted() + ": the store is closed");
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                reachability.answered();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            StoreException failure = StoreException.of(doing, url.redacted(), e);
            reachability.failed(failure);
            throw failure;
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the database drops the transaction anyway
        }
    }

    @Override
    public void close() {
        PostgresChangeFeed startedFeed;
        synchronized (this) {
            if (closed) return;
            closed = true;
            startedFeed = feed;
        }
        leaderships.forEach(Leadership::close);
        if (startedFeed != null) startedFeed.close();
        localNotices.shutdown();
        pool.close();
        log.info("State store closed: {}", url.redacted());
    }
}
