package dev.strangler.core.stage;

import java.nio.charset.StandardCharsets;

/**
 * Maps a sticky key value to one of {@value #BUCKETS} buckets; a canary at p% serves buckets
 * {@code [0, p × 100)} from the service.
 *
 * <p>Why this shape: the bucket depends only on the salt and the value — no state, no clock, no
 * JVM hash seed — so every gateway of a fleet, and every restart, puts a user on the same side.
 * Because the threshold only grows with the percent, raising the percent moves users from the
 * monolith to the service and never back. The salt is the service name: routes of one service
 * keep a user on one side (a coherent experience), while different services draw different users
 * (no one is the guinea pig for every migration).
 *
 * <p>The hash is 64-bit FNV-1a followed by the MurmurHash3 finalizer, which spreads short,
 * similar keys ({@code user-1}, {@code user-2}) evenly over the buckets.
 */
public final class StickyHash {
    /** Basis points: a percent with two decimals is exact. */
    public static final int BUCKETS = 10_000;

    private StickyHash() {}

    public static int bucket(String salt, String value) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, salt.getBytes(StandardCharsets.UTF_8));
        h ^= 0;
        h *= 0x100000001b3L;
        h = mix(h, value.getBytes(StandardCharsets.UTF_8));
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, BUCKETS);
    }

    private static long mix(long h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The number of buckets served by the service at a percent. */
    public static int threshold(double percent) {
        return (int) Math.round(percent * (BUCKETS / 100.0));
    }
}
