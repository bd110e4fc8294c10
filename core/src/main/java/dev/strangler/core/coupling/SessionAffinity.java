package dev.strangler.core.coupling;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Learns which endpoint groups the same client uses together, in bounded memory, for the
 * {@link Affinity} matrix. Not thread-safe: one thread owns it (in the gateway, an event loop: one per loop, summed when read).
 *
 * <h2>Design</h2>
 * A <b>session</b> is the requests of one client key (a sticky key, a session cookie, a trace id)
 * no more than {@link #idle()} apart. Sessions live in a table in access order (LRU): each request
 * moves its session to the young end, so the old end holds the sessions idle the longest. Counts
 * are taken <em>incrementally</em>, not when a session closes: the first time a session uses a
 * group, that group's session count grows by one, and each pair it forms with the groups the
 * session used before grows by one. So a session that ends, is evicted or is still open has
 * always been counted exactly once per group and per pair, and a snapshot needs no flush.
 *
 * <h2>Bounds</h2>
 * <ul>
 *   <li>Sessions: at most {@code maxSessions} (default {@value #DEFAULT_MAX_SESSIONS}). A new
 *       session beyond that evicts the least recently seen one, which only means that client, if it
 *       comes back, starts a new session; what was counted stays counted. Expired sessions at the old
 *       end are dropped as new ones arrive (amortised O(1) per request).</li>
 *   <li>Groups per session: at most {@value #MAX_GROUPS_PER_SESSION}; more (a crawler) are ignored
 *       for that session, so one session adds at most 16·15/2 pairs.</li>
 *   <li>Groups: at most {@code maxGroups} distinct names (default {@value #DEFAULT_MAX_GROUPS});
 *       later ones are counted in {@link #ignoredGroups()}, not tracked. The pair matrix is a
 *       triangular array over group ids, so it is at most maxGroups²/2 longs (256 KiB at the default).</li>
 * </ul>
 * Client keys are kept as 64-bit hashes, never as the raw cookie or header: a collision merely
 * joins two clients' sessions, which with 64 bits and at most {@code maxSessions} live keys is negligible.
 * Why not a count-min sketch: the matrix over groups is small and exact; what grows without bound
 * is the set of clients, and the LRU session table bounds exactly that.
 */
public final class SessionAffinity {
    public static final int DEFAULT_MAX_SESSIONS = 100_000;
    public static final int DEFAULT_MAX_GROUPS = 256;
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(5);
    static final int MAX_GROUPS_PER_SESSION = 16;

    private static final class Session {
        long lastSeenMillis;
        final short[] groups = new short[MAX_GROUPS_PER_SESSION];
        int size;
    }

    private final int maxSessions;
    private final int maxGroups;
    private final long idleMillis;
    private final LinkedHashMap<Long, Session> table = new LinkedHashMap<>(1024, 0.75f, true);
    private final Map<String, Integer> ids = new HashMap<>();
    private final String[] names;
    private final long[] groupSessions;
    /** Sessions that used both groups i < j, at {@code j*(j-1)/2 + i}. */
    private long[] together = new long[64];
    private long sessions;
    private long ignoredGroups;

    public SessionAffinity() {
        this(DEFAULT_MAX_SESSIONS, DEFAULT_MAX_GROUPS, DEFAULT_IDLE);
    }

    public SessionAffinity(int maxSessions, int maxGroups, Duration idle) {
        if (maxSessions < 1) throw new IllegalArgumentException("maxSessions: " + maxSessions + " (expected: >= 1)");
        if (maxGroups < 2 || maxGroups > Short.MAX_VALUE)
            throw new IllegalArgumentException("maxGroups: " + maxGroups + " (expected: 2.." + Short.MAX_VALUE + ")");
        Objects.requireNonNull(idle, "idle");
        if (idle.isNegative() || idle.isZero()) throw new IllegalArgumentException("idle: " + idle + " (expected: > 0)");
        this.maxSessions = maxSessions;
        this.maxGroups = maxGroups;
        this.idleMillis = idle.toMillis();
        this.names = new String[maxGroups];
        this.groupSessions = new long[maxGroups];
    }

    /** One request of a client to an endpoint group at a time (milliseconds since the epoch). */
    public void record(String clientKey, String group, long atMillis) {
        record(hash(clientKey), group, atMillis);
    }

    /** As {@link #record(String, String, long)} with the key already hashed ({@link #hash}). */
    public void record(long clientKey, String group, long atMillis) {
        Objects.requireNonNull(group, "group");
        int id = idOf(group);
        if (id < 0) return;
        Session s = table.get(clientKey);
        if (s == null || atMillis - s.lastSeenMillis > idleMillis) {
            if (s != null) table.remove(clientKey);
            expireOrEvict(atMillis);
            s = new Session();
            table.put(clientKey, s);
            sessions++;
        }
        s.lastSeenMillis = Math.max(s.lastSeenMillis, atMillis);
        for (int i = 0; i < s.size; i++) if (s.groups[i] == id) return;
        if (s.size == MAX_GROUPS_PER_SESSION) return;
        groupSessions[id]++;
        for (int i = 0; i < s.size; i++) together[index(s.groups[i], id)]++;
        s.groups[s.size++] = (short) id;
    }

    private void expireOrEvict(long nowMillis) {
        Iterator<Map.Entry<Long, Session>> oldest = table.entrySet().iterator();
        while (oldest.hasNext()) {
            Session s = oldest.next().getValue();
            if (table.size() < maxSessions && nowMillis - s.lastSeenMillis <= idleMillis) break;
            oldest.remove();
        }
    }

    private int idOf(String group) {
        Integer id = ids.get(group);
        if (id != null) return id;
        if (ids.size() == maxGroups) {
            ignoredGroups++;
            return -1;
        }
        int next = ids.size();
        ids.put(group, next);
        names[next] = group;
        int needed = next * (next + 1) / 2;
        if (needed > together.length) together = Arrays.copyOf(together, Math.max(needed, together.length * 2));
        return next;
    }

    private static int index(int x, int y) {
        int i = Math.min(x, y), j = Math.max(x, y);
        return j * (j - 1) / 2 + i;
    }

    /** The matrix so far, open sessions included. */
    public Affinity snapshot() {
        Map<String, Long> groups = new TreeMap<>();
        Map<Affinity.Pair, Long> pairs = new TreeMap<>();
        int n = ids.size();
        for (int j = 0; j < n; j++) {
            if (groupSessions[j] > 0) groups.put(names[j], groupSessions[j]);
            for (int i = 0; i < j; i++) {
                long both = together[index(i, j)];
                if (both > 0) pairs.put(Affinity.Pair.of(names[i], names[j]), both);
            }
        }
        return new Affinity(sessions, groups, pairs);
    }

    /** Sessions held now (open or not yet expired): never more than maxSessions. */
    public int liveSessions() {
        return table.size();
    }

    /** Distinct groups tracked: never more than maxGroups. */
    public int groups() {
        return ids.size();
    }

    /** Group names seen after the bound on groups was reached, counted and not tracked. */
    public long ignoredGroups() {
        return ignoredGroups;
    }

    public Duration idle() {
        return Duration.ofMillis(idleMillis);
    }

    /** The groups one open session used, for tests and debugging. */
    List<String> groupsOf(String clientKey) {
        Session s = table.get(hash(clientKey));
        if (s == null) return List.of();
        String[] out = new String[s.size];
        for (int i = 0; i < s.size; i++) out[i] = names[s.groups[i]];
        return List.of(out);
    }

    /** A 64-bit hash of a client key (FNV-1a over the UTF-16 chars, then a final mix). */
    public static long hash(String clientKey) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < clientKey.length(); i++) {
            h ^= clientKey.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
