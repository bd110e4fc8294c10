package dev.strangler.core.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON path syntax shared by reported differences and by ignore and array globs. A path is
 * {@code $} followed by segments: {@code .name}, {@code ['any name']} (backslash escapes {@code '}
 * and {@code \}), {@code [3]}; a glob may also use {@code .*} or {@code [*]} (any one member or
 * element) and {@code ..} (any number of levels, including none, before the next segment).
 * Reported paths are canonical: {@code .name} only for names made of ASCII letters, digits and
 * {@code _} not starting with a digit, the quoted form otherwise, so every reported path parses
 * back into a glob that matches exactly that path.
 */
final class PathGlob {
    enum Kind { FIELD, INDEX, ANY, DESCENDANTS }

    record Token(Kind kind, String name, int index) {
        static final Token ANY = new Token(Kind.ANY, null, -1);
        static final Token DESCENDANTS = new Token(Kind.DESCENDANTS, null, -1);
    }

    private PathGlob() {
    }

    /** Parses a glob into tokens; throws {@link IllegalArgumentException} saying what and where. */
    static List<Token> parse(String glob) {
        if (glob == null || !glob.startsWith("$"))
            throw new IllegalArgumentException("'" + glob + "' (expected: a path starting with '$', such as $.items[*].id)");
        List<Token> tokens = new ArrayList<>();
        int n = glob.length();
        int i = 1;
        while (i < n) {
            char c = glob.charAt(i);
            if (c == '.') {
                i++;
                if (i < n && glob.charAt(i) == '.') {
                    tokens.add(Token.DESCENDANTS);
                    i++;
                    if (i >= n)
                        throw error(glob, i, "'..' must be followed by a name, '*' or '['");
                    if (glob.charAt(i) == '[')
                        continue;
                }
                int start = i;
                while (i < n && glob.charAt(i) != '.' && glob.charAt(i) != '[')
                    i++;
                if (start == i)
                    throw error(glob, start, "empty name");
                String name = glob.substring(start, i);
                tokens.add(name.equals("*") ? Token.ANY : new Token(Kind.FIELD, name, -1));
            } else if (c == '[') {
                i++;
                if (i >= n)
                    throw error(glob, i, "unclosed '['");
                char q = glob.charAt(i);
                if (q == '\'' || q == '"') {
                    StringBuilder name = new StringBuilder();
                    i++;
                    while (i < n && glob.charAt(i) != q) {
                        char ch = glob.charAt(i);
                        if (ch == '\\' && i + 1 < n) {
                            ch = glob.charAt(++i);
                        }
                        name.append(ch);
                        i++;
                    }
                    if (i >= n)
                        throw error(glob, i, "unclosed quote");
                    i++;
                    tokens.add(new Token(Kind.FIELD, name.toString(), -1));
                } else if (q == '*') {
                    i++;
                    tokens.add(Token.ANY);
                } else {
                    int start = i;
                    while (i < n && glob.charAt(i) >= '0' && glob.charAt(i) <= '9')
                        i++;
                    if (start == i || i - start > 9)
                        throw error(glob, start, "expected an index, '*' or a quoted name");
                    tokens.add(new Token(Kind.INDEX, null, Integer.parseInt(glob.substring(start, i))));
                }
                if (i >= n || glob.charAt(i) != ']')
                    throw error(glob, i, "expected ']'");
                i++;
            } else {
                throw error(glob, i, "unexpected '" + c + "'");
            }
        }
        return tokens;
    }

    private static IllegalArgumentException error(String glob, int at, String what) {
        return new IllegalArgumentException("'" + glob + "' at " + at + ": " + what);
    }
}
