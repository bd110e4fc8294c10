package dev.strangler.core.shadow;

import dev.strangler.core.diff.CapturedResponse;

import java.util.Objects;

/**
 * One shadowed exchange as kept for people to look at: the request line and both responses, redacted
 * and cut short. Build it with {@link #capture}, which does the redaction; the canonical constructor
 * trusts its arguments to be redacted already.
 *
 * @param method    the request method
 * @param target    the path and query as the client sent them, sensitive parameters redacted
 * @param monolith  the monolith's response
 * @param service   the service's response
 */
public record SamplePair(String method, String target, ResponseExcerpt monolith, ResponseExcerpt service) {
    public SamplePair {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(monolith, "monolith");
        Objects.requireNonNull(service, "service");
    }

    /** Redacts and cuts a request and the two responses it got. */
    public static SamplePair capture(Redactor redactor, String method, String target,
                                     CapturedResponse monolith, CapturedResponse service) {
        Objects.requireNonNull(redactor, "redactor");
        return new SamplePair(method, redactor.redactTarget(target),
                ResponseExcerpt.of(redactor, monolith), ResponseExcerpt.of(redactor, service));
    }
}
