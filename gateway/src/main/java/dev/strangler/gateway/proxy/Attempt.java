package dev.strangler.gateway.proxy;

import dev.strangler.core.stage.Target;
import io.vertx.core.buffer.Buffer;

import java.util.Optional;

/**
 * One try of an {@link Exchange} at a backend.
 *
 * @param target      who is tried
 * @param keptBody    the body read into memory, or empty to stream the (still paused) inbound request
 * @param readAhead   when the body is streamed: its first bytes, read already ({@link ReadAhead}), which
 *                    go out before the rest; empty when none was read
 * @param mayFallBack whether a failure before any response may be retried once on the monolith
 */
record Attempt(Target target, Optional<Buffer> keptBody, Optional<Buffer> readAhead, boolean mayFallBack) {
    Attempt(Target target, Optional<Buffer> keptBody, boolean mayFallBack) {
        this(target, keptBody, Optional.empty(), mayFallBack);
    }

    /** The body streamed to {@code target} after its first bytes, read already; no fallback. */
    static Attempt streamedAfter(Target target, Buffer readAhead) {
        return new Attempt(target, Optional.empty(), Optional.of(readAhead), false);
    }

    /** The same request, to the monolith, with no further fallback. */
    Attempt toMonolith() {
        return new Attempt(Target.MONOLITH, keptBody, readAhead, false);
    }
}
