package dev.strangler.core.stage;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strangler's sticky split and NGINX's {@code split_clients "service:${key}" { p% service; * monolith; }}
 * choose the same side for every key. The NGINX side is written here from its C source, independently
 * of {@link StickyHash}: MurmurHash2 over little-endian words, then the cumulative cut
 * {@code last += percent * (uint64_t) 0xffffffff / 10000} and the test {@code hash < last}.
 */
class NginxSplitAgreementTest {

    @Property(tries = 100_000)
    void strangleAndNginxPutEveryKeyOnTheSameSide(
            @ForAll("keys") String key,
            @ForAll("services") String service,
            @ForAll @IntRange(min = 1, max = 9_999) int basisPoints) {
        boolean strangler = StickyHash.bucket(service, key) < basisPoints;
        boolean nginx = nginxChoosesService(service + ":" + key, basisPoints);

        assertThat(strangler).as("key %s of %s at %s bp", key, service, basisPoints).isEqualTo(nginx);
    }

    @Property(tries = 2_000)
    void raisingThePercentInNginxOnlyMovesUsersTowardsTheService(
            @ForAll("keys") String key,
            @ForAll @IntRange(min = 1, max = 9_999) int p,
            @ForAll @IntRange(min = 1, max = 9_999) int q) {
        if (nginxChoosesService("posts:" + key, Math.min(p, q)))
            assertThat(nginxChoosesService("posts:" + key, Math.max(p, q))).isTrue();
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40),
                Arbitraries.integers().between(0, 10_000_000).map(i -> "user-" + i),
                Arbitraries.create(java.util.UUID::randomUUID).map(Object::toString));
    }

    @Provide
    Arbitrary<String> services() {
        return Arbitraries.of("posts", "users", "billing", "search-v2");
    }

    /** {@code split_clients} with two parts: {@code basisPoints} to the service, the rest ({@code *}) to the monolith. */
    static boolean nginxChoosesService(String text, int basisPoints) {
        long last = 0;
        last += basisPoints * 0xffffffffL / 10000;
        return murmurHash2(text.getBytes(StandardCharsets.UTF_8)) < last;
    }

    static long murmurHash2(byte[] data) {
        final long m = 0x5bd1e995L;
        final long mask = 0xffffffffL;
        long h = data.length;
        ByteBuffer words = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        while (words.remaining() >= 4) {
            long k = words.getInt() & mask;
            k = (k * m) & mask;
            k ^= k >>> 24;
            k = (k * m) & mask;
            h = (h * m) & mask;
            h ^= k;
        }
        int rest = words.remaining();
        int at = words.position();
        if (rest == 3) h ^= (long) (data[at + 2] & 0xff) << 16;
        if (rest >= 2) h ^= (long) (data[at + 1] & 0xff) << 8;
        if (rest >= 1) {
            h ^= data[at] & 0xff;
            h = (h * m) & mask;
        }
        h ^= h >>> 13;
        h = (h * m) & mask;
        h ^= h >>> 15;
        return h;
    }
}
