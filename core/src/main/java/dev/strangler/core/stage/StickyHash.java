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
 * <h2>The same users as NGINX</h2>
 * The bucket is defined so that NGINX's {@code split_clients} reproduces it exactly, which lets
 * {@code strangler export --format nginx} keep every user on the side Strangler would choose:
 * <ul>
 *   <li>the hashed string is {@link #hashedText(String, String) salt + ":" + value} (UTF-8), which
 *       NGINX writes as {@code split_clients "posts:${http_x_user_id}"};</li>
 *   <li>the hash is NGINX's {@code ngx_murmur_hash2}: 32-bit MurmurHash2, seed 0;</li>
 *   <li>{@code split_clients} with {@code p% service; * monolith;} sends a hash {@code h} to the
 *       service when {@code h < floor(p·100 × 0xffffffff / 10000)}, the percent read in basis
 *       points. The bucket of {@code h} is the largest {@code t < BUCKETS} whose cut
 *       {@link #cut(int)} is at most {@code h}, so {@code bucket < threshold} holds exactly when
 *       {@code h < cut(threshold)}: the same test, the same users.</li>
 * </ul>
 * The cuts grow with the threshold, so the ramp stays monotone. NGINX refuses {@code 0%} and a
 * hash of {@code 0xffffffff} is never below a 100% cut, which is why the decider and the export
 * treat 0% and 100% without hashing.
 *
 * <p>Until this version the hash was FNV-1a with a MurmurHash3 finalizer; {@link #legacyBucket}
 * keeps it for the canaries that were running at the upgrade: such a route keeps it until it
 * leaves canary ({@link BucketFunction#LEGACY}), so nobody already on the service is moved back.
 */
public final class StickyHash {
    /** Basis points: a percent with two decimals is exact. */
    public static final int BUCKETS = 10_000;

    /** Between the salt and the value in the hashed text; NGINX's {@code split_clients} string writes it literally. */
    public static final String SEPARATOR = ":";

    private static final long MAX_HASH = 0xffffffffL;
    private static final int M = 0x5bd1e995;

    private StickyHash() {}

    public static int bucket(String salt, String value) {
        long h = murmur2(hashedText(salt, value).getBytes(StandardCharsets.UTF_8));
        int t = (int) Math.min(BUCKETS - 1, h * BUCKETS / MAX_HASH);
        while (t + 1 < BUCKETS && cut(t + 1) <= h) t++;
        while (t > 0 && cut(t) > h) t--;
        return t;
    }

    /** The text hashed for a key: what NGINX's {@code split_clients} string must evaluate to. */
    public static String hashedText(String salt, String value) {
        return salt + SEPARATOR + value;
    }

    /**
     * The first hash value that is not served by the service at {@code threshold} buckets: NGINX's
     * {@code percent × 0xffffffff / 10000}, rounded down, for a single {@code split_clients} part.
     */
    public static long cut(int threshold) {
        return threshold * MAX_HASH / BUCKETS;
    }

    /** 32-bit MurmurHash2 with seed 0, as NGINX's {@code ngx_murmur_hash2} (little-endian blocks); unsigned. */
    public static long murmur2(byte[] data) {
        int len = data.length;
        int h = len;
        int i = 0;
        while (len - i >= 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            k *= M;
            k ^= k >>> 24;
            k *= M;
            h *= M;
            h ^= k;
            i += 4;
        }
        switch (len - i) {
            case 3:
                h ^= (data[i + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[i + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[i] & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h & MAX_HASH;
    }

    /** The bucket before MurmurHash2 (FNV-1a 64 with a MurmurHash3 finalizer); kept by canaries running at the upgrade. */
    public static int legacyBucket(String salt, String value) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, salt.getBytes(StandardCharsets.UTF_8));
        h *= 0x100000001b3L;
        h = fnv(h, value.getBytes(StandardCharsets.UTF_8));
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, BUCKETS);
    }

    private static long fnv(long h, byte[] bytes) {
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
