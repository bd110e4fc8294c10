package dev.strangler.gateway.proxy;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The header lines of an {@link OwnResponse}: names and values in one array, in order, looked up by
 * a scan. A response head has a handful of lines, so a scan costs less than hashing, and the lines
 * cost no entry object each as in Vert.x's {@code HeadersMultiMap} (40 bytes a line, and its
 * 16-slot table). Both a Netty {@link HttpHeaders}, so the lean backend client decodes a response
 * head straight into it ({@link LeanRelay}), and a Vert.x {@link MultiMap}, for the rest of the
 * gateway. Names compare ignoring ASCII case; {@link #size} counts distinct names, as Vert.x's map does.
 *
 * <p>One per connection of the own server, reused by each response in turn ({@link #clear}); not thread-safe.
 */
final class FlatHeaders extends HttpHeaders implements MultiMap {
    /** Line i's name at {@code 2i}, its value at {@code 2i + 1}. */
    private CharSequence[] lines = new CharSequence[32];
    private int count;

    int count() {
        return count;
    }

    CharSequence name(int i) {
        return lines[2 * i];
    }

    CharSequence value(int i) {
        return lines[2 * i + 1];
    }

    private int indexOf(CharSequence name, int from) {
        for (int i = from; i < count; i++) if (AsciiString.contentEqualsIgnoreCase(lines[2 * i], name)) return i;
        return -1;
    }

    private void append(CharSequence name, Object value) {
        if (2 * count == lines.length) lines = Arrays.copyOf(lines, 2 * lines.length);
        lines[2 * count] = name;
        lines[2 * count + 1] = value instanceof CharSequence cs ? cs : String.valueOf(value);
        count++;
    }

    private void removeAll(CharSequence name) {
        removeWhere(null, name);
    }

    /**
     * Removes every line whose name {@code dropped} accepts, the rest kept in order: one pass over the
     * lines, where a {@link #remove} per name is a pass each (ten for the hop-by-hop names of every
     * response head: 3 % of the event loop's samples in a profile of issue 14's eleventh round).
     */
    void removeNamed(Predicate<CharSequence> dropped) {
        removeWhere(dropped, null);
    }

    /** The one pass of both: drops the lines {@code dropped} accepts or, without it, those named {@code name} (any case). */
    private void removeWhere(Predicate<CharSequence> dropped, CharSequence name) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            CharSequence lineName = lines[2 * i];
            if (dropped != null ? dropped.test(lineName) : AsciiString.contentEqualsIgnoreCase(lineName, name)) continue;
            lines[2 * kept] = lines[2 * i];
            lines[2 * kept + 1] = lines[2 * i + 1];
            kept++;
        }
        Arrays.fill(lines, 2 * kept, 2 * count, null);
        count = kept;
    }

    // --- reading

    @Override
    public String get(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : value(i).toString();
    }

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        List<String> all = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) all.add(value(i).toString());
        return all;
    }

    @Override
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    /** Whether a line named {@code name} has exactly {@code value} (as Netty's and Vert.x's maps compare: whole values). */
    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (ignoreCase ? AsciiString.contentEqualsIgnoreCase(value(i), value) : AsciiString.contentEquals(value(i), value)) return true;
        }
        return false;
    }

    @Override
    public boolean contains(String name, String value, boolean ignoreCase) {
        return contains((CharSequence) name, value, ignoreCase);
    }

    @Override
    public Integer getInt(CharSequence name) {
        String v = get(name);
        try {
            return v == null ? null : Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer v = getInt(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Short getShort(CharSequence name) {
        Integer v = getInt(name);
        return v == null || v != v.shortValue() ? null : v.shortValue();
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short v = getShort(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        String v = get(name);
        Date d = v == null ? null : DateFormatter.parseHttpDate(v);
        return d == null ? null : d.getTime();
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        Long v = getTimeMillis(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) entries.add(new AbstractMap.SimpleImmutableEntry<>(name(i).toString(), value(i).toString()));
        return entries;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return entries().iterator();
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        List<Map.Entry<CharSequence, CharSequence>> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) entries.add(new AbstractMap.SimpleImmutableEntry<>(name(i), value(i)));
        return entries.iterator();
    }

    @Override
    public boolean isEmpty() {
        return count == 0;
    }

    /** Distinct names, as Vert.x's {@code MultiMap.size()} counts. */
    @Override
    public int size() {
        return names().size();
    }

    @Override
    public Set<String> names() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER); // as Vert.x's map: names differing in case are one
        for (int i = 0; i < count; i++) names.add(name(i).toString());
        return names;
    }

    @Override
    public boolean isMutable() {
        return true;
    }

    @Override
    public FlatHeaders copy() {
        FlatHeaders copy = new FlatHeaders();
        copy.lines = Arrays.copyOf(lines, lines.length);
        copy.count = count;
        return copy;
    }

    @Override
    public MultiMap copy(boolean mutable) {
        MultiMap copy = io.vertx.core.http.HttpHeaders.headers();
        for (int i = 0; i < count; i++) copy.add(name(i), value(i));
        return mutable ? copy : copy.copy(false);
    }

    // --- writing

    @Override
    public FlatHeaders add(CharSequence name, Object value) {
        append(name, value);
        return this;
    }

    @Override
    public FlatHeaders add(String name, Object value) {
        append(name, value);
        return this;
    }

    @Override
    public FlatHeaders add(String name, String value) {
        append(name, value);
        return this;
    }

    @Override
    public FlatHeaders add(CharSequence name, CharSequence value) {
        append(name, value);
        return this;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public FlatHeaders add(String name, Iterable values) {
        for (Object v : values) append(name, v);
        return this;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public FlatHeaders add(CharSequence name, Iterable values) {
        for (Object v : values) append(name, v);
        return this;
    }

    @Override
    public FlatHeaders addInt(CharSequence name, int value) {
        append(name, Integer.toString(value));
        return this;
    }

    @Override
    public FlatHeaders addShort(CharSequence name, short value) {
        append(name, Short.toString(value));
        return this;
    }

    @Override
    public FlatHeaders addAll(MultiMap map) {
        for (Map.Entry<String, String> e : map) append(e.getKey(), e.getValue());
        return this;
    }

    @Override
    public FlatHeaders addAll(Map<String, String> headers) {
        for (Map.Entry<String, String> e : headers.entrySet()) append(e.getKey(), e.getValue());
        return this;
    }

    /** Replaces every line of {@code name} (any case) with one at the end; a null value only removes them, as Vert.x's map does. */
    @Override
    public FlatHeaders set(CharSequence name, Object value) {
        removeAll(name);
        if (value != null) append(name, value);
        return this;
    }

    @Override
    public FlatHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public FlatHeaders set(String name, String value) {
        return set((CharSequence) name, (Object) value);
    }

    @Override
    public FlatHeaders set(CharSequence name, CharSequence value) {
        return set(name, (Object) value);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public FlatHeaders set(String name, Iterable values) {
        removeAll(name);
        return add(name, values);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public FlatHeaders set(CharSequence name, Iterable values) {
        removeAll(name);
        return add(name, values);
    }

    @Override
    public FlatHeaders setInt(CharSequence name, int value) {
        return set(name, (Object) Integer.toString(value));
    }

    @Override
    public FlatHeaders setShort(CharSequence name, short value) {
        return set(name, (Object) Short.toString(value));
    }

    @Override
    public FlatHeaders setAll(MultiMap map) {
        for (String name : map.names()) removeAll(name);
        return addAll(map);
    }

    @Override
    public FlatHeaders setAll(Map<String, String> headers) {
        for (String name : headers.keySet()) removeAll(name);
        return addAll(headers);
    }

    @Override
    public FlatHeaders remove(String name) {
        removeAll(name);
        return this;
    }

    @Override
    public FlatHeaders remove(CharSequence name) {
        removeAll(name);
        return this;
    }

    @Override
    public FlatHeaders clear() {
        Arrays.fill(lines, 0, 2 * count, null);
        count = 0;
        return this;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) b.append(name(i)).append(": ").append(value(i)).append('\n');
        return b.toString();
    }
}
