package dev.strangler.core.diff;

/**
 * How a member name is written in a canonical JSON path: {@code .name} when it is a plain
 * identifier, {@code ['a.b']} otherwise. One definition, so the paths the diff engine reports and
 * the ones the shadow results group and redact by are spelled alike.
 */
public final class JsonPathNames {
    private JsonPathNames() {}

    /** Appends the canonical form of a member name to a path. */
    public static void appendField(StringBuilder path, String name) {
        if (isPlainName(name)) {
            path.append('.').append(name);
            return;
        }
        path.append("['");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\'' || c == '\\')
                path.append('\\');
            path.append(c);
        }
        path.append("']");
    }

    public static boolean isPlainName(String name) {
        if (name.isEmpty())
            return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean digit = c >= '0' && c <= '9';
            if (!letter && !(digit && i > 0))
                return false;
        }
        return true;
    }
}
