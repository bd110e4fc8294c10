package dev.strangler.cli;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON object as the CLI reads and writes it (see {@link JsonText} for why not Vert.x's): keys in
 * order, values {@code String}, {@code Long}/{@code Double}/other numbers, {@code Boolean},
 * {@link JsonObject}, {@link JsonArray} or null. The getters return null for an absent key and for
 * a present {@code null}; {@link AdminJson} turns those into what a report shows.
 */
final class JsonObject extends JsonStructure implements Iterable<Map.Entry<String, Object>> {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    JsonObject() {}

    /** @throws IllegalArgumentException when {@code json} is not a JSON object */
    JsonObject(String json) {
        if (!(JsonText.parse(json) instanceof JsonObject o)) throw new IllegalArgumentException("not a JSON object: " + json);
        fields.putAll(o.fields);
    }

    static JsonObject of(Map<?, ?> map) {
        JsonObject o = new JsonObject();
        map.forEach((k, v) -> o.put(String.valueOf(k), v));
        return o;
    }

    JsonObject put(String key, Object value) {
        fields.put(Objects.requireNonNull(key, "key"), value);
        return this;
    }

    Object getValue(String key) {
        return fields.get(key);
    }

    boolean containsKey(String key) {
        return fields.containsKey(key);
    }

    String getString(String key) {
        Object v = fields.get(key);
        return v == null ? null : v.toString();
    }

    String getString(String key, String absent) {
        Object v = fields.get(key);
        return v == null ? absent : v.toString();
    }

    Long getLong(String key) {
        return fields.get(key) instanceof Number n ? n.longValue() : null;
    }

    Integer getInteger(String key) {
        return fields.get(key) instanceof Number n ? n.intValue() : null;
    }

    Double getDouble(String key) {
        return fields.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    Boolean getBoolean(String key) {
        return fields.get(key) instanceof Boolean b ? b : null;
    }

    JsonObject getJsonObject(String key) {
        return fields.get(key) instanceof JsonObject o ? o : null;
    }

    JsonArray getJsonArray(String key) {
        return fields.get(key) instanceof JsonArray a ? a : null;
    }

    JsonArray getJsonArray(String key, JsonArray absent) {
        JsonArray a = getJsonArray(key);
        return a == null ? absent : a;
    }

    Number getNumber(String key) {
        return fields.get(key) instanceof Number n ? n : null;
    }

    long getLong(String key, long absent) {
        Long v = getLong(key);
        return v == null ? absent : v;
    }

    int getInteger(String key, int absent) {
        Integer v = getInteger(key);
        return v == null ? absent : v;
    }

    boolean getBoolean(String key, boolean absent) {
        Boolean v = getBoolean(key);
        return v == null ? absent : v;
    }

    int size() {
        return fields.size();
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    /** A deep copy. */
    JsonObject copy() {
        return new JsonObject(encode());
    }

    @Override
    public Iterator<Map.Entry<String, Object>> iterator() {
        return fields.entrySet().iterator();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof JsonObject other) || other.fields.size() != fields.size()) return false;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!other.fields.containsKey(e.getKey()) || !JsonText.same(e.getValue(), other.fields.get(e.getKey()))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return fields.keySet().hashCode();
    }
}
