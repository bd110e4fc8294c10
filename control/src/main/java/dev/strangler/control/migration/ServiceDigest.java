package dev.strangler.control.migration;

import dev.strangler.core.config.Backend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short fingerprint of a service's definition (URLs, timeouts, pool, trust): kept with a hold
 * after rollback, so a changed definition — the service redeployed elsewhere, reconfigured — is
 * seen as a new service that deserves a new try. Built from the record's own text, so any field
 * added to {@link Backend} takes part.
 */
public final class ServiceDigest {
    private ServiceDigest() {}

    public static String of(Backend service) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(service.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
