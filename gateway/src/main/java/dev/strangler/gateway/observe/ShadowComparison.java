package dev.strangler.gateway.observe;

import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffResult;

import java.util.Objects;

/**
 * One compared pair from the shadow stage: what was asked, what each side answered, and how they differ.
 * The responses are kept for sampling; an observer must redact before storing or showing them.
 */
public record ShadowComparison(String route, String method, String uri, CapturedResponse monolith,
                               CapturedResponse service, DiffResult result) {
    public ShadowComparison {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(monolith, "monolith");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(result, "result");
    }
}
