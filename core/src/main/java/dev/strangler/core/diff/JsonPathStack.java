package dev.strangler.core.diff;

import java.util.Arrays;

/** The path of the node being compared, as a stack of member names and indexes, rendered canonically on demand. */
final class JsonPathStack {
    private Object[] segments = new Object[16];
    private int depth;

    void pushField(String name) {
        push(name);
    }

    void pushIndex(int index) {
        push(index);
    }

    private void push(Object segment) {
        if (depth == segments.length)
            segments = Arrays.copyOf(segments, depth * 2);
        segments[depth++] = segment;
    }

    void pop() {
        segments[--depth] = null;
    }

    String render() {
        StringBuilder path = new StringBuilder(8 * depth + 1).append('$');
        for (int i = 0; i < depth; i++) {
            if (segments[i] instanceof String name)
                JsonPathNames.appendField(path, name);
            else
                path.append('[').append(segments[i]).append(']');
        }
        return path.toString();
    }
}
