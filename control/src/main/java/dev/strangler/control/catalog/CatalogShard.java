package dev.strangler.control.catalog;

import dev.strangler.core.catalog.Catalog;
import dev.strangler.core.catalog.EndpointGrouping;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.coupling.SessionAffinity;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Outcome;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The catalog and the coupling learnt from the requests of one thread: an event loop's own
 * ({@link PerEventLoop}), or the one that the recorder keeps under a lock for callers that are not
 * event loops. Not thread-safe.
 *
 * <p>Coupling is counted under endpoint groups named as {@code analyze} names them: an
 * {@link EndpointGrouping} over this shard's endpoints and those of the recorder's last merged read
 * ({@code known}), so every loop names groups as the whole gateway's catalog does, also when it has
 * seen only part of the traffic. The grouping is redone when this shard gains an endpoint or a read
 * publishes new templates; between those, names are remembered per template.
 */
final class CatalogShard {
    /** As many templates as the catalog keeps endpoints: what resolving a request path gives, short of floods of odd paths. */
    static final int GROUP_NAMES_REMEMBERED = Catalog.DEFAULT_MAX_ENDPOINTS;

    /** What one shard had learnt when it was read: its endpoints (compacted, not reconciled) and coupling. */
    record Piece(List<EndpointSummary> endpoints, Affinity coupling, long overflow) {
        static final Piece NONE = new Piece(List.of(), Affinity.NONE, 0);
    }

    private final Clock clock;
    private final Supplier<List<String>> known;
    private final Catalog catalog = new Catalog();
    private final SessionAffinity coupling;
    /** What this gateway had stored before it started, when this shard took it on ({@link #adopt}). */
    private Affinity storedCoupling = Affinity.NONE;
    private EndpointGrouping grouping = EndpointGrouping.of(List.of());
    private int groupedEndpoints = -1;
    private List<String> groupedKnown;
    /**
     * Group names by template under the current {@link #grouping}: naming a template's group splits it
     * and builds strings, while a session's requests repeat a few templates. Emptied at every regroup;
     * at most {@link #GROUP_NAMES_REMEMBERED} (beyond, names are worked out each time).
     */
    private final Map<String, String> groupNames = new HashMap<>();
    /**
     * The time requests are filed under, to the millisecond, made an {@code Instant} only when the
     * millisecond changes: at most a thousand a second, not one per request.
     */
    private long atMillis = Long.MIN_VALUE;
    private Instant at;
    /**
     * The route and stage of the request being recorded, as the catalog takes them; empty when
     * unrouted. Requests in a row mostly share them, so the last ones are kept rather than two
     * Optionals allocated per request.
     */
    private Optional<String> lastRoute = Optional.empty();
    private Optional<Stage> lastStage = Optional.empty();

    /**
     * @param known       the templates of the recorder's last merged read, for naming groups
     * @param maxSessions this shard's share of the sessions a gateway keeps ({@link SessionAffinity#DEFAULT_MAX_SESSIONS})
     */
    CatalogShard(Clock clock, Supplier<List<String>> known, int maxSessions) {
        this.clock = clock;
        this.known = known;
        this.coupling = new SessionAffinity(maxSessions, SessionAffinity.DEFAULT_MAX_GROUPS, SessionAffinity.DEFAULT_IDLE);
    }

    void record(Outcome o) {
        long now = clock.millis();
        if (now != atMillis) {
            atMillis = now;
            at = Instant.ofEpochMilli(now);
        }
        routed(o);
        catalog.record(o.method(), o.path(), o.status(), o.durationNanos(), o.bytesIn(), o.bytesOut(), lastRoute, lastStage, at);
        if (o.clientKey().isEmpty() || o.status() / 100 == 4) return; // a 4xx says little about what a client uses
        if (catalog.size() != groupedEndpoints || known.get() != groupedKnown) regroup(); // a new endpoint may move the common prefix
        coupling.record(o.clientKey(), groupName(catalog.templater().resolve(o.path())), now);
    }

    void declare(Collection<EndpointKey> keys) {
        keys.forEach(catalog::declare);
    }

    /** Takes on what this gateway stored before (its own rows), so that one catalog goes on counting them. */
    void adopt(List<EndpointSummary> stored, Affinity coupling) {
        stored.forEach(catalog::merge);
        storedCoupling = storedCoupling.plus(coupling);
    }

    Piece read() {
        return new Piece(catalog.summaries(), storedCoupling.plus(coupling.snapshot()), catalog.overflow());
    }

    private void routed(Outcome o) {
        if (o.route().equals(Outcome.UNROUTED)) {
            lastRoute = Optional.empty();
            lastStage = Optional.empty();
        } else if (lastRoute.isEmpty() || !lastRoute.get().equals(o.route()) || lastStage.get() != o.stage()) {
            lastRoute = Optional.of(o.route());
            lastStage = Optional.of(o.stage());
        }
    }

    /** Groups as {@code analyze} forms them: over the endpoints that are not junk. */
    private void regroup() {
        groupedEndpoints = catalog.size();
        groupedKnown = known.get();
        List<String> templates = new ArrayList<>(catalog.templates());
        templates.addAll(groupedKnown);
        grouping = EndpointGrouping.of(templates);
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
}
