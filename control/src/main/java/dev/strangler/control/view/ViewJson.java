package dev.strangler.control.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The read model's one JSON writer: records by their component names, {@code Optional.empty()} as
 * {@code null} (or absent where a component says so), instants as ISO-8601 text
 * ({@code 2026-11-30T17:00:00Z}, as {@link java.time.Instant#toString} writes them).
 */
public final class ViewJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private ViewJson() {}

    /** UTF-8 JSON of a view (a record or a list of them). */
    public static byte[] write(Object view) {
        try {
            return MAPPER.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a view could not be written as JSON: " + e.getMessage(), e);
        }
    }
}
