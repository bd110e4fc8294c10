package dev.strangler.core.diff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A response as the gateway received it from one backend, ready to be compared. Header names are
 * case-insensitive; each name keeps its values in the order received. The body array is not copied:
 * the caller hands it over and must not change it afterwards (so equality of two instances is by
 * body identity, as for any record holding an array).
 *
 * @param status   the HTTP status code
 * @param headers  the headers, by case-insensitive name
 * @param body     the body bytes as received (not decompressed here)
 */
public record CapturedResponse(int status, Map<String, List<String>> headers, byte[] body) {
    public CapturedResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        if (status < 100 || status > 999)
            throw new IllegalArgumentException("status: " + status + " (expected: 100..999)");
        if (!(headers instanceof HeaderFields)) { // immutable already, and read lazily: kept as it is
            TreeMap<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> byName.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values));
            byName.replaceAll((name, values) -> List.copyOf(values));
            headers = Collections.unmodifiableMap(byName);
        }
    }

    /**
     * A response from its header lines as they were received (a name may repeat, in any case), kept as
     * {@link HeaderFields}: the gateway captures two or three responses per shadowed request, and a
     * comparison reads only a few names of each.
     */
    public static CapturedResponse ofHeaderLines(int status, Iterable<? extends Map.Entry<String, String>> lines, byte[] body) {
        Objects.requireNonNull(lines, "lines");
        HeaderFields.Builder fields = HeaderFields.builder();
        for (Map.Entry<String, String> line : lines) fields.add(line.getKey(), line.getValue());
        return new CapturedResponse(status, fields.build(), body);
    }

    /** A response whose header fields were collected already. */
    public static CapturedResponse ofFields(int status, HeaderFields fields, byte[] body) {
        return new CapturedResponse(status, Objects.requireNonNull(fields, "fields"), body);
    }

    public static CapturedResponse of(int status, Map<String, List<String>> headers, byte[] body) {
        return new CapturedResponse(status, headers, body);
    }

    /** A response with a {@code Content-Type} header and no other header. */
    public static CapturedResponse of(int status, String contentType, byte[] body) {
        return new CapturedResponse(status, Map.of("Content-Type", List.of(contentType)), body);
    }

    /** The values of a header, empty when absent. */
    public List<String> headerValues(String name) {
        List<String> values = headers.get(name);
        return values == null ? List.of() : values;
    }

    /** The {@code Content-Type} header, when present. */
    public Optional<String> contentType() {
        List<String> values = headerValues("Content-Type");
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
