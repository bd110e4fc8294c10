package dev.strangler.cli;

/**
 * A JSON object or array (the name as in JSON-P): the encoding both share, written by
 * {@link JsonText}. Equality stays with each, since one compares items in order and the other
 * fields by key.
 */
abstract sealed class JsonStructure permits JsonObject, JsonArray {
    final String encode() {
        return JsonText.write(this, false);
    }

    final String encodePrettily() {
        return JsonText.write(this, true);
    }

    @Override
    public final String toString() {
        return encode();
    }
}
