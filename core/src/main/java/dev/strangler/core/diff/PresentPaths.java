package dev.strangler.core.diff;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The JSON paths two trees both have, array indexes as {@code [*]}, spelled as the shadow results
 * aggregate differences ({@code $.items[*].price}). Used for monolith pairs only (the noise filter's
 * evidence), never for every comparison: it visits every node of both trees.
 */
final class PresentPaths {
    private PresentPaths() {}

    /** Adds to {@code out} the paths both trees have, until {@code out} holds {@code max} paths. */
    static void addCommon(JsonNode first, JsonNode second, Set<String> out, int max) {
        Set<String> inFirst = new HashSet<>();
        collect(first, "$", inFirst, max);
        Set<String> inSecond = new HashSet<>();
        collect(second, "$", inSecond, max);
        for (String path : inFirst) {
            if (out.size() >= max)
                return;
            if (inSecond.contains(path))
                out.add(path);
        }
    }

    private static void collect(JsonNode node, String path, Set<String> out, int max) {
        if (out.size() >= max)
            return;
        out.add(path);
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext() && out.size() < max; ) {
                Map.Entry<String, JsonNode> member = it.next();
                StringBuilder child = new StringBuilder(path.length() + member.getKey().length() + 4).append(path);
                JsonPathNames.appendField(child, member.getKey());
                collect(member.getValue(), child.toString(), out, max);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            String child = path + "[*]";
            for (int i = 0; i < node.size() && out.size() < max; i++)
                collect(node.get(i), child, out, max);
        }
    }
}
