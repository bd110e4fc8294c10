package dev.strangler.core.http;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request as it arrived, before anything is forwarded: what {@link RequestRules} judges.
 *
 * @param target      the raw request-target, one char per received byte (HTTP/2: {@code :path})
 * @param headers     every header field line in order, duplicates kept (HTTP/2: without pseudo-headers)
 * @param h2Authority HTTP/2's {@code :authority}; empty for HTTP/1.x
 */
public record RequestHead(String method, Protocol protocol, String target, HeaderLines headers, Optional<String> h2Authority) {
    public RequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(h2Authority, "h2Authority");
    }

    /** A head whose lines are given as fields (tests, benchmarks): read through the same {@link HeaderLines} view. */
    public RequestHead(String method, Protocol protocol, String target, List<HeaderField> headers, Optional<String> h2Authority) {
        this(method, protocol, target, HeaderLines.of(headers), h2Authority);
    }
}
