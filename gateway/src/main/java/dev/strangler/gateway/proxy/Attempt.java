package dev.strangler.gateway.proxy;

import dev.strangler.core.stage.Target;
import io.vertx.core.buffer.Buffer;

import java.util.Optional;

/**
 * One try of an {@link Exchange} at a backend.
 *
 * @param target      who is tried
 * @param keptBody    the body read into memory, or empty to stream the (still paused) inbound request
 * @param mayFallBack whether a failure before any response may be retried once on the monolith
 */
record Attempt(Target target, Optional<Buffer> keptBody, boolean mayFallBack) {
    /** The same request, to the monolith, with no further fallback. */
    Attempt toMonolith() {
        return new Attempt(Target.MONOLITH, keptBody, false);
    }
}
