package dev.strangler.core.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * A trie node's children by literal segment text, looked up by a string or by a segment of a
 * {@link PathSegments} compared in place: walking a path whose literals are known copies no text.
 * A {@code HashMap<String, V>} cannot be probed that way without a key object that is not a
 * string, so this is a small chained hash table keyed by {@link String#hashCode()} (which
 * {@link PathSegments#hash} computes over the segment's chars). Nodes hold a handful of children,
 * capped by the templater, so it starts at four buckets and doubles past three quarters full.
 *
 * <p>Not thread-safe, like the tries that hold it.
 */
final class LiteralChildren<V> {
    private static final class Entry<V> {
        final String key;
        final int hash;
        V value;
        Entry<V> next;

        Entry(String key, int hash, V value, Entry<V> next) {
            this.key = key;
            this.hash = hash;
            this.value = value;
            this.next = next;
        }
    }

    private Entry<V>[] table = newTable(4);
    private int size;

    @SuppressWarnings("unchecked")
    private static <V> Entry<V>[] newTable(int length) {
        return (Entry<V>[]) new Entry[length];
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    V get(String key) {
        int hash = key.hashCode();
        for (Entry<V> e = table[spread(hash) & (table.length - 1)]; e != null; e = e.next)
            if (e.hash == hash && e.key.equals(key)) return e.value;
        return null;
    }

    /** The child named by segment {@code i} of {@code segments}, or null; copies nothing. */
    V get(PathSegments segments, int i) {
        int hash = segments.hash(i);
        for (Entry<V> e = table[spread(hash) & (table.length - 1)]; e != null; e = e.next)
            if (e.hash == hash && segments.is(i, e.key)) return e.value;
        return null;
    }

    /** Adds or replaces the child named {@code key}. */
    void put(String key, V value) {
        int hash = key.hashCode();
        int at = spread(hash) & (table.length - 1);
        for (Entry<V> e = table[at]; e != null; e = e.next) {
            if (e.hash == hash && e.key.equals(key)) {
                e.value = value;
                return;
            }
        }
        table[at] = new Entry<>(key, hash, value, table[at]);
        if (++size > table.length * 3 / 4) resize();
    }

    /** Removes the child named {@code key}; returns it, or null when there was none. */
    V remove(String key) {
        int hash = key.hashCode();
        int at = spread(hash) & (table.length - 1);
        for (Entry<V> e = table[at], before = null; e != null; before = e, e = e.next) {
            if (e.hash != hash || !e.key.equals(key)) continue;
            if (before == null) table[at] = e.next;
            else before.next = e.next;
            size--;
            return e.value;
        }
        return null;
    }

    int size() {
        return size;
    }

    /** The children's names, copied: for the rare walks over all children (generalizing, counting). */
    List<String> keys() {
        List<String> out = new ArrayList<>(size);
        for (Entry<V> head : table)
            for (Entry<V> e = head; e != null; e = e.next) out.add(e.key);
        return out;
    }

    private void resize() {
        Entry<V>[] old = table;
        table = newTable(old.length * 2);
        for (Entry<V> head : old) {
            for (Entry<V> e = head; e != null; ) {
                Entry<V> next = e.next;
                int at = spread(e.hash) & (table.length - 1);
                e.next = table[at];
                table[at] = e;
                e = next;
            }
        }
    }
}
