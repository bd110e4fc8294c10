package dev.strangler.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the admin API's JSON for the CLI with Jackson's streaming API alone. The
 * commands that talk to a gateway are meant to answer in a fraction of a second: Vert.x's
 * {@code JsonObject} would bring its codec, Jackson databind and Vert.x itself into every call,
 * while the streaming parser is a few dozen classes. Numbers come back as {@code Long} or
 * {@code Double}, objects as {@link JsonObject}, arrays as {@link JsonArray}.
 */
final class JsonText {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {}

    /** @throws IllegalArgumentException when {@code text} is not one JSON value */
    static Object parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) throw new IllegalArgumentException("no JSON value");
            Object value = read(p);
            if (p.nextToken() != null) throw new IllegalArgumentException("more than one JSON value");
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> {
                JsonObject o = new JsonObject();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    o.put(key, read(p));
                }
                yield o;
            }
            case START_ARRAY -> {
                JsonArray a = new JsonArray();
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(read(p));
                yield a;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> wholeNumber(p);
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + t);
        };
    }

    /** A {@code Long}, or a {@code Double} past its range (a ternary would widen every one to double). */
    private static Number wholeNumber(JsonParser p) throws IOException {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) return p.getDoubleValue();
        return p.getLongValue();
    }

    static String write(Object value, boolean pretty) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            if (pretty) g.setPrettyPrinter(new DefaultPrettyPrinter());
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case JsonObject o -> {
                g.writeStartObject();
                for (Map.Entry<String, Object> e : o) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case JsonArray a -> {
                g.writeStartArray();
                for (Object item : a) write(g, item);
                g.writeEndArray();
            }
            case Map<?, ?> m -> write(g, JsonObject.of(m));
            case List<?> l -> write(g, JsonArray.of(l));
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case Number n -> g.writeNumber(n.toString());
            default -> g.writeString(value.toString());
        }
    }

    /** JSON equality: numbers compare by value (5 equals 5.0 only when both are whole), the rest with equals. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            boolean whole = !(x instanceof Double || x instanceof Float) && !(y instanceof Double || y instanceof Float);
            return whole ? x.longValue() == y.longValue() : Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return a == null ? b == null : a.equals(b);
    }
}
