package dev.strangler.gateway.proxy;

import dev.strangler.core.http.HeaderLines;
import io.vertx.core.MultiMap;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The header lines of a request head that {@link OwnConnection} read itself, as a read-only
 * {@link MultiMap} over the head's bytes: each name and value is a view ({@link dev.strangler.core.http.ByteText}) of where
 * it stands, and a {@code String} is made only when one is asked for ({@link #get}). So a request on
 * the own server path costs no map entry, no entry array and no string per line, as Vert.x's
 * decoded {@code HeadersMultiMap} did.
 *
 * <p>Read-only: the requests it serves (bodiless GET, HEAD, DELETE and OPTIONS in origin form) are
 * never edited in place by the gateway (it edits only an absolute-form request's {@code Host} and an
 * OPTIONS request's {@code Max-Forwards}, which stay on Vert.x's path); a write throws.
 */
final class OwnHeaders implements MultiMap {
    /** The head's lines, as the request's checks read them too ({@link #lines}): one array for both. */
    private final HeaderLines lines;

    OwnHeaders(HeaderLines lines) {
        this.lines = lines;
    }

    int count() {
        return lines.count();
    }

    CharSequence name(int i) {
        return lines.name(i);
    }

    CharSequence value(int i) {
        return lines.value(i);
    }

    /** The lines as {@link dev.strangler.core.http.RequestRules} reads them: the same object, no copy. */
    HeaderLines lines() {
        return lines;
    }

    private int indexOf(CharSequence name, int from) {
        String n = name.toString();
        for (int i = from, count = lines.count(); i < count; i++) if (lines.hasName(i, n)) return i;
        return -1;
    }

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

    @Override
    public boolean isEmpty() {
        return lines.count() == 0;
    }

    @Override
    public Set<String> names() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER); // as Vert.x's map: names differing in case are one
        for (int i = 0; i < count(); i++) names.add(name(i).toString());
        return names;
    }

    @Override
    public int size() {
        return names().size();
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        List<Map.Entry<String, String>> entries = new ArrayList<>(count());
        for (int i = 0; i < count(); i++) entries.add(new AbstractMap.SimpleImmutableEntry<>(name(i).toString(), value(i).toString()));
        return entries.iterator();
    }

    @Override
    public boolean isMutable() {
        return false;
    }

    @Override
    public MultiMap copy(boolean mutable) {
        MultiMap copy = io.vertx.core.http.HttpHeaders.headers();
        for (int i = 0; i < count(); i++) copy.add(name(i).toString(), value(i).toString());
        return mutable ? copy : copy.copy(false);
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("the headers of a request read by the gateway's own server are read-only");
    }

    @Override
    public MultiMap add(String name, String value) {
        throw readOnly();
    }

    @Override
    public MultiMap add(CharSequence name, CharSequence value) {
        throw readOnly();
    }

    @Override
    public MultiMap add(String name, Iterable<String> values) {
        throw readOnly();
    }

    @Override
    public MultiMap add(CharSequence name, Iterable<CharSequence> values) {
        throw readOnly();
    }

    @Override
    public MultiMap addAll(MultiMap map) {
        throw readOnly();
    }

    @Override
    public MultiMap addAll(Map<String, String> headers) {
        throw readOnly();
    }

    @Override
    public MultiMap set(String name, String value) {
        throw readOnly();
    }

    @Override
    public MultiMap set(CharSequence name, CharSequence value) {
        throw readOnly();
    }

    @Override
    public MultiMap set(String name, Iterable<String> values) {
        throw readOnly();
    }

    @Override
    public MultiMap set(CharSequence name, Iterable<CharSequence> values) {
        throw readOnly();
    }

    @Override
    public MultiMap setAll(MultiMap map) {
        throw readOnly();
    }

    @Override
    public MultiMap setAll(Map<String, String> headers) {
        throw readOnly();
    }

    @Override
    public MultiMap remove(String name) {
        throw readOnly();
    }

    @Override
    public MultiMap remove(CharSequence name) {
        throw readOnly();
    }

    @Override
    public MultiMap clear() {
        throw readOnly();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count(); i++) b.append(name(i)).append(": ").append(value(i)).append('\n');
        return b.toString();
    }
}
