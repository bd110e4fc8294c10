package dev.strangler.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as maps, lists and scalars that remember their line. Jackson's own tree
 * forgets locations, and an error that says "line 14" is what makes a config error actionable.
 */
final class YamlTree {

    sealed interface Node permits MapNode, ListNode, Scalar {
        int line();

        /** How the node is described in "expected X, found Y" messages. */
        String kind();
    }

    record Entry(String key, int line, Node value) {}

    record MapNode(int line, Map<String, Entry> entries) implements Node {
        public String kind() { return "a mapping"; }
    }

    record ListNode(int line, List<Node> items) implements Node {
        public String kind() { return "a list"; }
    }

    /** A scalar's text as written; {@code text} is null for an empty value ({@code key:} or {@code ~}). */
    record Scalar(int line, String text) implements Node {
        public String kind() { return text == null ? "nothing" : "\"" + text + "\""; }
    }

    /** A YAML syntax error, located. */
    static final class SyntaxError extends Exception {
        final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    /** A key given twice in one mapping: YAML forbids it and silently keeping one would hide a mistake. */
    record Duplicate(int line, String key, int firstLine) {}

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {}

    /** Parses one document; empty input gives an empty mapping. Duplicate keys are collected, the last one kept. */
    static Node parse(String text, List<Duplicate> duplicates) throws SyntaxError {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) return new MapNode(1, Map.of());
            Node root = read(p, duplicates);
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new SyntaxError(line, "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new SyntaxError(0, "could not be read as YAML: " + e.getMessage());
        }
    }

    private static Node read(JsonParser p, List<Duplicate> duplicates) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    p.nextToken();
                    Node value = read(p, duplicates);
                    Entry previous = entries.put(key, new Entry(key, keyLine, value));
                    if (previous != null) duplicates.add(new Duplicate(keyLine, key, previous.line()));
                }
                return new MapNode(line, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) items.add(read(p, duplicates));
                return new ListNode(line, items);
            }
            case VALUE_NULL -> {
                return new Scalar(line, null);
            }
            default -> {
                return new Scalar(line, p.getText());
            }
        }
    }
}
