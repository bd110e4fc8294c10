package dev.strangler.cli;


/**
 * Reads fields of the admin API's documents for printing. The API writes {@code null} for
 * "nothing yet" (a rate without requests, a route never judged), and Vert.x hands back null for
 * a present-but-null field even when given a default; reports want an empty value instead.
 */
final class AdminJson {
    private AdminJson() {}

    static JsonObject object(JsonObject json, String key) {
        JsonObject value = json == null ? null : json.getJsonObject(key);
        return value == null ? new JsonObject() : value;
    }

    static JsonArray array(JsonObject json, String key) {
        JsonArray value = json == null ? null : json.getJsonArray(key);
        return value == null ? new JsonArray() : value;
    }

    static String text(JsonObject json, String key, String absent) {
        Object value = json == null ? null : json.getValue(key);
        return value == null ? absent : value.toString();
    }

    static boolean flag(JsonObject json, String key, boolean absent) {
        Boolean value = json == null ? null : json.getBoolean(key);
        return value == null ? absent : value;
    }
}
