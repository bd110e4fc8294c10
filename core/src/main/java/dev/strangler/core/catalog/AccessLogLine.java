package dev.strangler.core.catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request read from a monolith's access log in the Common or Combined Log Format, so a team
 * can analyze its API before putting Strangler in front of it:
 * <pre>
 * 127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?x=1 HTTP/1.0" 200 2326 "http://ref" "Mozilla/4.08"
 * </pre>
 * An optional last field is read as the request's duration: with a decimal point in seconds
 * (nginx {@code $request_time}), otherwise in microseconds (Apache {@code %D}).
 *
 * @param path     the request path without query ({@code http://host/x} in absolute form gives {@code /x})
 * @param bytes    response bytes; {@code -} reads as 0
 * @param duration when the line carries it
 */
public record AccessLogLine(String client, String method, String path, int status, long bytes, Instant time,
                            Optional<Duration> duration) {

    private static final String QUOTED = "\"((?:[^\"\\\\]|\\\\.)*)\"";
    private static final Pattern LINE = Pattern.compile(
            "(\\S+) \\S+ (?:\\S+|" + QUOTED + ") \\[([^\\]]+)] " + QUOTED + " (\\d{3}) (\\d+|-)"
                    + "(?: " + QUOTED + " " + QUOTED + ")?"
                    + "(?: (\\d+(?:\\.\\d+)?))?\\s*");
    private static final Pattern REQUEST = Pattern.compile("([A-Za-z]+) (\\S+)(?: HTTP/\\d(?:\\.\\d)?)?");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    public AccessLogLine {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(duration, "duration");
    }

    /** The request on the line, or empty when the line is not in the format (the caller counts those). */
    public static Optional<AccessLogLine> parse(String line) {
        if (line == null || line.length() > 64 * 1024) return Optional.empty();
        Matcher m = LINE.matcher(line);
        if (!m.matches()) return Optional.empty();
        Matcher request = REQUEST.matcher(m.group(4));
        if (!request.matches()) return Optional.empty();
        String path = pathOf(request.group(2));
        if (path == null) return Optional.empty();
        Instant time;
        try {
            time = OffsetDateTime.parse(m.group(3), TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        long bytes;
        try {
            bytes = m.group(6).equals("-") ? 0 : Long.parseLong(m.group(6));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(new AccessLogLine(m.group(1), request.group(1).toUpperCase(Locale.ROOT), path,
                Integer.parseInt(m.group(5)), bytes, time, durationOf(m.group(9))));
    }

    private static String pathOf(String target) {
        int q = target.indexOf('?');
        String p = q >= 0 ? target.substring(0, q) : target;
        if (p.startsWith("http://") || p.startsWith("https://")) {
            int slash = p.indexOf('/', p.indexOf("//") + 2);
            return slash < 0 ? "/" : p.substring(slash);
        }
        return p.startsWith("/") ? p : null;
    }

    private static Optional<Duration> durationOf(String field) {
        if (field == null) return Optional.empty();
        try {
            if (field.indexOf('.') >= 0) return Optional.of(Duration.ofNanos(Math.round(Double.parseDouble(field) * 1e9)));
            return Optional.of(Duration.ofNanos(Math.multiplyExact(Long.parseLong(field), 1000L)));
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
