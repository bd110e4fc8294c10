package dev.strangler.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A JSON array as the CLI reads and writes it; values as in {@link JsonObject}. */
final class JsonArray extends JsonStructure implements Iterable<Object> {
    private final List<Object> items = new ArrayList<>();

    JsonArray() {}

    /** @throws IllegalArgumentException when {@code json} is not a JSON array */
    JsonArray(String json) {
        if (!(JsonText.parse(json) instanceof JsonArray a)) throw new IllegalArgumentException("not a JSON array: " + json);
        items.addAll(a.items);
    }

    static JsonArray of(List<?> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }

    JsonArray add(Object value) {
        items.add(value);
        return this;
    }

    Object getValue(int i) {
        return items.get(i);
    }

    String getString(int i) {
        Object v = items.get(i);
        return v == null ? null : v.toString();
    }

    JsonObject getJsonObject(int i) {
        return items.get(i) instanceof JsonObject o ? o : null;
    }

    int size() {
        return items.size();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    @Override
    public Iterator<Object> iterator() {
        return items.iterator();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof JsonArray other) || other.items.size() != items.size()) return false;
        for (int i = 0; i < items.size(); i++) {
            if (!JsonText.same(items.get(i), other.items.get(i))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return items.size();
    }
}
