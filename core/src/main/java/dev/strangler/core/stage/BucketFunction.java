package dev.strangler.core.stage;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which sticky bucket a canary route draws its users with.
 *
 * <p>Every canary uses {@link #NGINX} ({@link StickyHash#bucket}). A route that was already in
 * {@code canary} when a gateway with that function first opened its store keeps {@link #LEGACY}
 * ({@link StickyHash#legacyBucket}) until it leaves {@code canary}: switching functions mid-canary
 * would move users from the service back to the monolith (and others the other way), breaking the
 * monotone ramp for the users already on the service. Each function alone keeps the ramp monotone.
 */
public enum BucketFunction {
    /** MurmurHash2 as NGINX's {@code split_clients} computes it: every new canary. */
    NGINX,
    /** The function before the NGINX one: kept by canaries that were running at the upgrade. */
    LEGACY;

    public int bucket(String salt, String value) {
        return this == NGINX ? StickyHash.bucket(salt, value) : StickyHash.legacyBucket(salt, value);
    }

    /** The name in the store, the API and the export: {@code nginx} or {@code legacy}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BucketFunction> fromConfigName(String name) {
        Objects.requireNonNull(name, "name");
        return Arrays.stream(values()).filter(f -> f.configName().equals(name)).findFirst();
    }
}
