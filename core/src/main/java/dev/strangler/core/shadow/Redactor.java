package dev.strangler.core.shadow;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.strangler.core.diff.Difference;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from what the shadow stage keeps: samples and example values end up in the store and
 * on the dashboard, so they must not carry credentials or personal data.
 *
 * <p>What is redacted (replaced with {@value #REDACTED}):
 * <ul>
 *   <li>the values of {@code Authorization}, {@code Cookie}, {@code Set-Cookie} and
 *       {@code Proxy-Authorization}, always;</li>
 *   <li>for each configured plain name (such as {@code password}, compared case-insensitively): a query
 *       or form parameter, a header, or a JSON member of that name at any depth;</li>
 *   <li>for each configured path (starting with {@code $}, such as {@code $.user.ssn}): the JSON value
 *       at that path and everything below it. Array indexes in a path stand for any element.</li>
 * </ul>
 * A body that should be JSON but does not parse (or is too large to parse) is redacted as text by
 * pattern ({@code "name": value} and {@code name=value} for every configured name, the last member of a
 * configured path included): it errs towards hiding too much. Bodies are then cut to
 * {@link #maxBodyChars()} characters; binary bodies are shown as their size only.
 *
 * <p>Immutable and thread-safe. Built from configuration, so it fails fast on a malformed path.
 */
public final class Redactor {
    public static final String REDACTED = "<redacted>";
    /** Default length, in characters, of a kept body excerpt. */
    public static final int DEFAULT_MAX_BODY_CHARS = 4096;
    /** Default length, in characters, of a kept request target (path and query). */
    public static final int MAX_TARGET_CHARS = 2048;
    /** Headers whose values are never kept. */
    public static final Set<String> ALWAYS_REDACTED_HEADERS = Set.of("authorization", "cookie", "set-cookie", "proxy-authorization");

    private static final int MAX_PARSED_BODY_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final List<String> configured;
    private final Set<String> names;
    private final Set<String> paths;
    private final int maxBodyChars;
    private final Optional<Pattern> textPattern;

    /**
     * @param redactedNames  plain names ({@code token}) and JSON paths ({@code $.user.ssn}) to redact
     * @param maxBodyChars   the length of a kept body excerpt, in characters
     */
    public Redactor(Collection<String> redactedNames, int maxBodyChars) {
        Objects.requireNonNull(redactedNames, "redactedNames");
        List<String> problems = new ArrayList<>();
        if (maxBodyChars <= 0)
            problems.add("maxBodyChars: " + maxBodyChars + " (expected: > 0)");
        Set<String> plain = new HashSet<>();
        Set<String> jsonPaths = new HashSet<>();
        Set<String> textNames = new HashSet<>();
        for (String name : redactedNames) {
            if (name == null || name.isBlank()) {
                problems.add("redactedNames: '" + name + "' (expected: a name such as password, or a path such as $.user.ssn)");
            } else if (name.startsWith("$")) {
                Optional<List<JsonPaths.Segment>> segments = JsonPaths.parse(name);
                if (segments.isEmpty() || segments.get().isEmpty()) {
                    problems.add("redactedNames: '" + name + "' (expected: a JSON path such as $.user.ssn)");
                } else {
                    jsonPaths.add(JsonPaths.render(segments.get()));
                    JsonPaths.Segment last = segments.get().getLast();
                    if (!last.isIndex())
                        textNames.add(last.name().toLowerCase(Locale.ROOT));
                }
            } else {
                plain.add(name.toLowerCase(Locale.ROOT));
                textNames.add(name.toLowerCase(Locale.ROOT));
            }
        }
        if (!problems.isEmpty())
            throw new IllegalArgumentException(String.join("; ", problems));
        this.configured = List.copyOf(redactedNames);
        this.names = Set.copyOf(plain);
        this.paths = Set.copyOf(jsonPaths);
        this.maxBodyChars = maxBodyChars;
        this.textPattern = textNames.isEmpty() ? Optional.empty() : Optional.of(textPattern(textNames));
    }

    /** A redactor for the given names and paths, with the default body excerpt length. */
    public static Redactor of(String... redactedNames) {
        return new Redactor(List.of(redactedNames), DEFAULT_MAX_BODY_CHARS);
    }

    private static Pattern textPattern(Set<String> names) {
        String alternatives = String.join("|", names.stream().sorted().map(Pattern::quote).toList());
        // group 1..2: "name" : value (a string, possibly cut off, or a bare token); group 3..4: name=value
        return Pattern.compile("(\"(?:" + alternatives + ")\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*(?:\"|$)|[^,}\\]\\s]+)"
                + "|(?<![\\w-])((?:" + alternatives + ")=)([^&\\s;,\"]*)", Pattern.CASE_INSENSITIVE);
    }

    public List<String> redactedNames() {
        return configured;
    }

    public int maxBodyChars() {
        return maxBodyChars;
    }

    /** Whether the values of a header are redacted. */
    public boolean isRedactedHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return ALWAYS_REDACTED_HEADERS.contains(lower) || names.contains(lower);
    }

    /** The headers with the values of sensitive ones replaced, keeping names and the number of values. */
    public Map<String, List<String>> redactHeaders(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((name, values) -> out.put(name, isRedactedHeader(name)
                ? values.stream().map(v -> REDACTED).toList()
                : List.copyOf(values)));
        return out;
    }

    /** A request target ({@code /path?a=1&token=x}) with configured query parameters redacted, cut to {@value #MAX_TARGET_CHARS} characters. */
    public String redactTarget(String target) {
        int question = target.indexOf('?');
        String redacted = question < 0 ? target
                : target.substring(0, question + 1) + redactForm(target.substring(question + 1));
        return cut(redacted, MAX_TARGET_CHARS);
    }

    /** A query string (without its {@code ?}) with configured parameters redacted, cut to {@value #MAX_TARGET_CHARS} characters. */
    public String redactQuery(String query) {
        return cut(redactForm(query), MAX_TARGET_CHARS);
    }

    /** An {@code application/x-www-form-urlencoded} string with configured parameters redacted. */
    String redactForm(String form) {
        if (names.isEmpty() || form.isEmpty() || !mayNameASecret(form))
            return form;
        String[] parameters = form.split("&", -1);
        for (int i = 0; i < parameters.length; i++) {
            int eq = parameters[i].indexOf('=');
            String name = eq < 0 ? parameters[i] : parameters[i].substring(0, eq);
            if (eq >= 0 && names.contains(decode(name).toLowerCase(Locale.ROOT)))
                parameters[i] = name + "=" + REDACTED;
        }
        return String.join("&", parameters);
    }

    /**
     * False only when no parameter of {@code form} has a value and a configured name, so the form is
     * its own redaction: the access log calls this for every request with a query, and most name no
     * secret. Read in place, without splitting: a name that is plain ASCII (no {@code %}, no {@code +},
     * so decoding leaves it as it is) is compared with each configured name ignoring case, which can
     * only err towards "may" (then {@link #redactForm} does the exact work); any other name is a "may".
     */
    private boolean mayNameASecret(String form) {
        int start = 0; // of the current parameter
        boolean inName = true; // no '=' yet in the current parameter
        for (int i = 0, n = form.length(); i < n; i++) {
            char c = form.charAt(i);
            if (c == '&') {
                start = i + 1;
                inName = true;
            } else if (c == '=' && inName) {
                if (mayBeConfigured(form, start, i)) return true;
                inName = false;
            }
        }
        return false;
    }

    private boolean mayBeConfigured(String form, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = form.charAt(i);
            if (c >= 0x80 || c == '%' || c == '+') return true;
        }
        for (String name : names) {
            if (name.length() == to - from && form.regionMatches(true, from, name, 0, to - from)) return true;
        }
        return false;
    }

    private static String decode(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return name;
        }
    }

    /**
     * A redacted excerpt of a body, at most {@link #maxBodyChars()} characters plus an ellipsis.
     *
     * @param contentType  the body's {@code Content-Type}, when declared
     */
    public String redactBody(byte[] body, Optional<String> contentType) {
        if (body.length == 0)
            return "";
        String media = contentType.map(Redactor::mediaType).orElse("");
        Charset charset = contentType.flatMap(Redactor::charset).orElse(StandardCharsets.UTF_8);
        boolean json = media.equals("application/json") || media.endsWith("+json")
                || (media.isEmpty() && looksLikeJson(body));
        if (json && body.length <= MAX_PARSED_BODY_BYTES) {
            try {
                JsonNode tree = JSON.readTree(new String(body, charset));
                if (tree != null)
                    return cut(JSON.writeValueAsString(redactTree(tree, "$")), maxBodyChars);
            } catch (JacksonException notJson) {
                // falls through to the text patterns
            }
        }
        boolean text = json || (media.isEmpty() && !hasNul(body)) || media.startsWith("text/") || media.endsWith("+xml")
                || media.equals("application/xml") || media.equals("application/javascript")
                || media.equals("application/x-www-form-urlencoded") || contentType.flatMap(Redactor::charset).isPresent();
        if (!text)
            return "<" + body.length + " bytes of " + (media.isEmpty() ? "undeclared type" : media) + ">";
        // enough bytes for maxBodyChars characters in any charset, without decoding a huge body
        int take = (int) Math.min(body.length, (long) maxBodyChars * 4 + 256);
        String decoded = new String(body, 0, take, charset);
        String redacted = media.equals("application/x-www-form-urlencoded") ? redactForm(decoded) : redactText(decoded);
        String excerpt = cut(redacted, maxBodyChars);
        return take < body.length && !excerpt.endsWith("…") ? excerpt + "…" : excerpt;
    }

    /** Undeclared bodies with a NUL byte near the start are taken for binary. */
    private static boolean hasNul(byte[] body) {
        for (int i = 0; i < Math.min(body.length, 512); i++) {
            if (body[i] == 0)
                return true;
        }
        return false;
    }

    private static boolean looksLikeJson(byte[] body) {
        for (byte b : body) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t')
                continue;
            return b == '{' || b == '[';
        }
        return false;
    }

    /** A difference with its values redacted where its path, or something inside its values, is secret. */
    public Difference redact(Difference difference) {
        Optional<String> monolith = difference.monolithValue().map(v -> redactValue(difference.path(), v));
        Optional<String> service = difference.serviceValue().map(v -> redactValue(difference.path(), v));
        if (monolith.equals(difference.monolithValue()) && service.equals(difference.serviceValue()))
            return difference;
        return new Difference(difference.path(), difference.kind(), monolith, service);
    }

    /** A value the diff engine reported at a path (compact JSON, header values or a body excerpt), redacted. */
    public String redactValue(String path, String value) {
        if (path.startsWith("header:"))
            return isRedactedHeader(path.substring("header:".length())) ? REDACTED : value;
        if (!path.startsWith("$"))
            return redactText(value);
        Optional<List<JsonPaths.Segment>> segments = JsonPaths.parse(path);
        if (segments.isEmpty())
            return redactText(value);
        String prefix = "$";
        if (paths.contains(prefix))
            return REDACTED;
        for (JsonPaths.Segment segment : segments.get()) {
            prefix = JsonPaths.child(prefix, segment);
            if (paths.contains(prefix) || (!segment.isIndex() && names.contains(segment.name().toLowerCase(Locale.ROOT))))
                return REDACTED;
        }
        String trimmed = value.stripLeading();
        if (!trimmed.startsWith("{") && !trimmed.startsWith("["))
            return value;
        try {
            JsonNode tree = JSON.readTree(value);
            return JSON.writeValueAsString(redactTree(tree, prefix));
        } catch (JacksonException cutOrMalformed) {
            return redactText(value);
        }
    }

    private JsonNode redactTree(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            List<String> fields = new ArrayList<>();
            object.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                String childPath = JsonPaths.child(path, new JsonPaths.Segment(field, false));
                if (names.contains(field.toLowerCase(Locale.ROOT)) || paths.contains(childPath))
                    object.set(field, TextNode.valueOf(REDACTED));
                else
                    redactTree(object.get(field), childPath);
            }
        } else if (node instanceof ArrayNode array) {
            String childPath = JsonPaths.child(path, JsonPaths.Segment.INDEX);
            for (int i = 0; i < array.size(); i++) {
                if (paths.contains(childPath))
                    array.set(i, TextNode.valueOf(REDACTED));
                else
                    redactTree(array.get(i), childPath);
            }
        }
        return node;
    }

    /** Text that may hold {@code "name": value} or {@code name=value} pairs, with configured names' values redacted. */
    String redactText(String text) {
        if (textPattern.isEmpty())
            return text;
        Matcher matcher = textPattern.get().matcher(text);
        if (!matcher.find())
            return text;
        StringBuilder out = new StringBuilder(text.length());
        do {
            String replacement = matcher.group(1) != null
                    ? matcher.group(1) + "\"" + REDACTED + "\""
                    : matcher.group(3) + REDACTED;
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        } while (matcher.find());
        matcher.appendTail(out);
        return out.toString();
    }

    private static String cut(String value, int max) {
        if (value.length() <= max)
            return value;
        int end = Math.max(0, max);
        if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1)))
            end--;
        return value.substring(0, end) + "…";
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static Optional<Charset> charset(String contentType) {
        int semicolon = contentType.indexOf(';');
        if (semicolon < 0)
            return Optional.empty();
        for (String parameter : contentType.substring(semicolon + 1).split(";")) {
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                try {
                    return Optional.of(Charset.forName(parameter.substring(eq + 1).trim().replace("\"", "")));
                } catch (RuntimeException unsupported) {
                    return Optional.of(StandardCharsets.UTF_8);
                }
            }
        }
        return Optional.empty();
    }
}
