package dev.strangler.core.shadow;

import dev.strangler.core.diff.CapturedResponse;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a sample keeps of one backend's response: already redacted, body cut short.
 *
 * @param status     the HTTP status code
 * @param headers    the headers, sensitive values replaced with {@link Redactor#REDACTED}
 * @param body       the redacted body excerpt; ends with {@code …} when cut
 * @param bodyBytes  the size of the whole body as received
 */
public record ResponseExcerpt(int status, Map<String, List<String>> headers, String body, int bodyBytes) {
    public ResponseExcerpt {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** The redacted excerpt of a captured response. */
    public static ResponseExcerpt of(Redactor redactor, CapturedResponse response) {
        return new ResponseExcerpt(response.status(), redactor.redactHeaders(response.headers()),
                redactor.redactBody(response.body(), response.contentType()), response.body().length);
    }
}
