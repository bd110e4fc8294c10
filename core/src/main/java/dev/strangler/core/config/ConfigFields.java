package dev.strangler.core.config;

import dev.strangler.core.config.YamlTree.Entry;
import dev.strangler.core.config.YamlTree.ListNode;
import dev.strangler.core.config.YamlTree.MapNode;
import dev.strangler.core.config.YamlTree.Node;
import dev.strangler.core.config.YamlTree.Scalar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The errors of one config file and the typed readers of its fields that add to them. Every reader
 * reports what is wrong (line, field, what was given and what to write instead) and returns a
 * fallback so that reading goes on: the file's problems are all reported at once.
 */
final class ConfigFields {
    /** A name: of a service or a route. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** RFC 9110 token: what a method or header name may be made of. */
    static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Path file;
    /** Relative certificate and OpenAPI paths are resolved against it. */
    private final Path directory;
    private final List<ConfigError> errors = new ArrayList<>();

    ConfigFields(Path file) {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        this.directory = parent == null ? Path.of(".") : parent;
    }

    int errorCount() {
        return errors.size();
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** A duration of at least a millisecond: zero would close every connection at once. */
    Duration positiveDuration(MapNode m, String key, String field, Duration fallback) {
        Duration d = duration(m, key, field, fallback);
        if (d.toMillis() < 1) {
            error(lineOf(m, key), field, "must be at least 1ms, was " + d + "; the default is " + fallback.toSeconds() + "s");
            return fallback;
        }
        return d;
    }

    /** A duration key that also accepts a plain {@code 0}. */
    Duration durationOrZero(MapNode g, String key, String field, Duration fallback, Duration limit) {
        boolean zero = g.entries().containsKey(key)
                && text(g, key, field + "." + key).map(t -> t.strip().equals("0")).orElse(false);
        return zero ? Duration.ZERO : duration(g, key, field + "." + key, fallback, limit);
    }

    /**
     * A share written as {@code 5%} or {@code 0.05}, within [min, max] ({@code max} itself allowed
     * when {@code maxIncluded}).
     */
    double fraction(MapNode m, String key, String field, double fallback, String what, double min, double max,
                    boolean maxIncluded) {
        Optional<String> text = text(m, key, field);
        if (text.isEmpty()) return fallback;
        String t = text.get().strip();
        try {
            double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            if (v >= min && (maxIncluded ? v <= max : v < max)) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        error(lineOf(m, key), field, "\"" + t + "\" is not " + what);
        return fallback;
    }
    // ---- typed values ------------------------------------------------------------------

    HostPort hostPort(MapNode m, String key, String field, String fallback) {
        Optional<String> text = text(m, key, field);
        if (text.isEmpty()) return HostPort.parse(fallback).orElseThrow();
        Optional<HostPort> parsed = HostPort.parse(text.get());
        if (parsed.isEmpty()) {
            error(lineOf(m, key), field, "\"" + text.get() + "\" is not HOST:PORT (port 0..65535); write e.g. " + fallback);
            return HostPort.parse(fallback).orElseThrow();
        }
        String host = parsed.get().host();
        if (!HOST.matcher(host).matches() && !(host.contains(":") && host.matches("[0-9A-Fa-f:.]+"))) {
            error(lineOf(m, key), field, "\"" + host + "\" is not a host name or IP address; write e.g. " + fallback);
            return HostPort.parse(fallback).orElseThrow();
        }
        return parsed.get();
    }

    Duration duration(MapNode m, String key, String field, Duration fallback) {
        return duration(m, key, field, fallback, Limits.DURATION);
    }

    /** A positive duration of at most {@code max}: a number and a unit, or ISO-8601 ({@code PT2S}). */
    Duration duration(MapNode m, String key, String field, Duration fallback, Duration max) {
        Optional<String> text = text(m, key, field);
        if (text.isEmpty()) return fallback;
        String t = text.get().strip();
        var matcher = DURATION.matcher(t);
        Duration d = null;
        boolean tooLarge = false;
        if (matcher.matches()) {
            try {
                long n = Long.parseLong(matcher.group(1));
                d = switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (NumberFormatException | ArithmeticException overflow) {
                tooLarge = true; // more digits than a long holds, or more seconds than a Duration does
            }
        } else if (t.startsWith("PT") || t.startsWith("pt") || t.startsWith("P") || t.startsWith("p")) {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                tooLarge = e.getCause() instanceof ArithmeticException;
            }
        }
        if (tooLarge || d != null && d.compareTo(max) > 0) {
            error(lineOf(m, key), field, "\"" + t + "\" is too long; at most " + readable(max) + " (a larger value is a "
                    + "typo, and would overflow at run time)");
            return fallback;
        }
        if (d == null) {
            error(lineOf(m, key), field, "\"" + t + "\" is not a duration; write a number and a unit: 500ms, 2s, 1m, 1h, 1d");
            return fallback;
        }
        if (d.isZero() || d.isNegative()) {
            error(lineOf(m, key), field, "must be greater than zero");
            return fallback;
        }
        return d;
    }

    private static String readable(Duration d) {
        if (d.toHours() % 24 == 0 && d.toDays() > 0) return d.toDays() + "d";
        if (d.toMinutes() % 60 == 0 && d.toHours() > 0) return d.toHours() + "h";
        if (d.toSeconds() % 60 == 0 && d.toMinutes() > 0) return d.toMinutes() + "m";
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    int nonNegativeInt(MapNode m, String key, String field, int fallback) {
        Optional<String> text = text(m, key, field);
        if (text.isEmpty()) return fallback;
        try {
            int n = Integer.parseInt(text.get().strip());
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        error(lineOf(m, key), field, "\"" + text.get() + "\" is not a whole number, 0 or more");
        return fallback;
    }

    int positiveInt(MapNode m, String key, String field, int fallback) {
        Optional<String> text = text(m, key, field);
        if (text.isEmpty()) return fallback;
        try {
            int n = Integer.parseInt(text.get().strip());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        error(lineOf(m, key), field, "\"" + text.get() + "\" is not a whole number greater than zero");
        return fallback;
    }

    boolean bool(MapNode m, String key, String field, boolean fallback) {
        Optional<String> text = text(m, key, field);
        if (text.isEmpty()) return fallback;
        return switch (text.get().strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                error(lineOf(m, key), field, "\"" + text.get() + "\" is not true or false");
                yield fallback;
            }
        };
    }

    /**
     * Whether a readable file holds the PEM block it should (reported otherwise): a wrong file
     * passes a readability check and fails only when the listener or the first https connection starts.
     */
    boolean isPem(Path path, MapNode m, String key, String field, PemFile expected) {
        String text;
        try {
            text = new String(Files.readAllBytes(path), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            error(lineOf(m, key), field, path + " cannot be read (" + e.getMessage() + ")");
            return false;
        }
        if (expected.isIn(text)) return true;
        error(lineOf(m, key), field, path + " holds no " + expected.description() + " (expected a PEM file with a \""
                + expected.marker() + "\" line)");
        return false;
    }

    Optional<Path> readableFile(MapNode m, String key, String field, boolean required) {
        Optional<String> text = text(m, key, field);
        if (text.isEmpty()) {
            if (required) error(m.line(), field, "missing; give the path of the PEM file");
            return Optional.empty();
        }
        Path path = directory.resolve(text.get().strip()).normalize();
        if (!Files.isReadable(path)) {
            error(lineOf(m, key), field, path + " does not exist or is not readable (relative paths are resolved "
                    + "against the config file's directory)");
            return Optional.empty();
        }
        return Optional.of(path);
    }

    // ---- structure helpers -------------------------------------------------------------

    static Optional<Entry> entry(MapNode m, String key) {
        return Optional.ofNullable(m.entries().get(key));
    }

    /** A nested mapping; absent or empty ({@code key:}) gives empty; anything else is an error. */
    Optional<MapNode> section(MapNode parent, String key, String field) {
        Entry e = parent.entries().get(key);
        if (e == null || e.value() instanceof Scalar s && s.text() == null) return Optional.empty();
        if (e.value() instanceof MapNode m) return Optional.of(m);
        error(e.line(), field, "expected a mapping (key: value pairs), found " + e.value().kind());
        return Optional.empty();
    }

    /** A scalar as text; absent or empty gives empty; a mapping or list is an error. */
    Optional<String> text(MapNode m, String key, String field) {
        Entry e = m.entries().get(key);
        if (e == null) return Optional.empty();
        if (e.value() instanceof Scalar s) return Optional.ofNullable(s.text());
        error(e.line(), field, "expected a single value, found " + e.value().kind());
        return Optional.empty();
    }

    List<Scalar> scalarList(MapNode m, String key, String field) {
        Entry e = m.entries().get(key);
        if (e == null) return List.of();
        if (!(e.value() instanceof ListNode list)) {
            error(e.line(), field, "expected a list such as [a, b], found " + e.value().kind());
            return List.of();
        }
        List<Scalar> out = new ArrayList<>();
        for (Node n : list.items()) {
            if (n instanceof Scalar s && s.text() != null) out.add(s);
            else error(n.line(), field, "expected a single value in the list, found " + n.kind());
        }
        return out;
    }

    static int lineOf(MapNode m, String key) {
        Entry e = m.entries().get(key);
        return e == null ? m.line() : e.line();
    }

    void checkKeys(MapNode m, String field, Set<String> allowed) {
        for (Entry e : m.entries().values()) {
            if (allowed.contains(e.key())) continue;
            String path = field.isEmpty() ? e.key() : field + "." + e.key();
            error(e.line(), path, "unknown key" + suggestion(e.key(), allowed) + " (allowed here: "
                    + String.join(", ", allowed) + ")");
        }
    }

    void error(int line, String field, String message) {
        errors.add(new ConfigError(file, line, field, message));
    }

    /** The errors in the order they were found. */
    List<ConfigError> errors() {
        return List.copyOf(errors);
    }

    /** The errors by line, as the file reads. */
    List<ConfigError> sorted() {
        return errors.stream().sorted(Comparator.comparingInt(ConfigError::line)).toList();
    }

    /** "; did you mean X?" for the closest known word within a small edit distance, else "". */
    static String suggestion(String given, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(given.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, given.length() / 3);
        return best != null && bestDistance <= allowed ? "; did you mean " + best + "?" : "";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static Set<String> ordered(String... keys) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }
}
