package dev.strangler.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the database answered the store's last call, for {@code /health}.
 *
 * @param since     when it became unreachable; empty while reachable
 * @param lastError the last failure, kept after recovery so an operator can see what happened
 */
public record StoreHealth(boolean reachable, Optional<Instant> since, Optional<String> lastError) {

    public StoreHealth {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(lastError, "lastError");
    }
}
