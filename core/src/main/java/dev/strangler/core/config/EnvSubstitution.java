package dev.strangler.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in the file's text before it is parsed;
 * {@code $${} writes a literal {@code ${}. Comments are left alone, so a commented-out line
 * never fails for a variable nobody set.
 *
 * <p>Substitution happens on text (not on parsed values) so that the flow style of the
 * design's own example, {@code admin: { token: ${STRANGLER_ADMIN_TOKEN} }}, works. A value
 * holding YAML syntax could change the document's structure, so values with line breaks are
 * refused; quote the placeholder ({@code "${VAR}"}) where a value may contain {@code : # , { }}.
 */
final class EnvSubstitution {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    /** The substituted text and the problems found, each with its 1-based line. */
    record Result(String text, List<Problem> problems) {}

    record Problem(int line, String message) {}

    private EnvSubstitution() {}

    static Result apply(String text, Map<String, String> env) {
        List<Problem> problems = new ArrayList<>();
        StringBuilder out = new StringBuilder(text.length());
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) out.append('\n');
            String line = lines[i];
            int comment = commentStart(line);
            out.append(substituteLine(line.substring(0, comment), i + 1, env, problems));
            out.append(line, comment, line.length());
        }
        return new Result(out.toString(), List.copyOf(problems));
    }

    private static String substituteLine(String line, int lineNumber, Map<String, String> env, List<Problem> problems) {
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            if (line.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (!line.startsWith("${", i)) {
                out.append(line.charAt(i++));
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(line).region(i, line.length());
            if (!m.lookingAt()) {
                int end = line.indexOf('}', i);
                String shown = end < 0 ? line.substring(i) : line.substring(i, end + 1);
                problems.add(new Problem(lineNumber, "\"" + shown + "\" is not a valid placeholder; write ${NAME} or "
                        + "${NAME:-default} (NAME: letters, digits, _), or $${ for a literal ${"));
                out.append(shown);
                i += shown.length();
                continue;
            }
            String name = m.group(1);
            String value = env.get(name);
            if (value == null) value = m.group(2);
            if (value == null) {
                problems.add(new Problem(lineNumber, "environment variable " + name + " is not set; set it, or give a "
                        + "default with ${" + name + ":-value}"));
                value = "";
            } else if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                problems.add(new Problem(lineNumber, "environment variable " + name + " contains a line break, which "
                        + "would change the file's structure; remove it"));
                value = "";
            }
            out.append(value);
            i = m.end();
        }
        return out.toString();
    }

    /** Index where a YAML comment begins: a '#' at the start or after whitespace, outside quotes. */
    static int commentStart(String line) {
        boolean inSingle = false;
        boolean inDouble = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inDouble) {
                if (c == '\\') i++;
                else if (c == '"') inDouble = false;
            } else if (inSingle) {
                if (c == '\'') inSingle = false;
            } else if (c == '"') {
                inDouble = true;
            } else if (c == '\'') {
                inSingle = true;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return line.length();
    }
}
