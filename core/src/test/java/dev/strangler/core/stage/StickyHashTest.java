package dev.strangler.core.stage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class StickyHashTest {

    /**
     * Pinned values: gateways of one fleet may run different versions during a rolling upgrade, and
     * every restart must keep users where they were, so a change to the hash is a breaking change.
     * These are the MurmurHash2 buckets NGINX's {@code split_clients "salt:value"} reproduces.
     */
    @ParameterizedTest
    @CsvSource({
            "posts,   user-1,                                66",
            "posts,   user-2,                                6767",
            "users,   user-1,                                2683",
            "posts,   10.0.0.1,                              2127",
            "billing, 3f2a9c1e-0000-4000-8000-000000000001,  5325",
            "posts,   '',                                    782",
    })
    void bucketsAreStableAcrossVersionsAndRestarts(String salt, String value, int bucket) {
        assertThat(StickyHash.bucket(salt, value)).isEqualTo(bucket);
    }

    @ParameterizedTest
    @CsvSource({
            "0,      0",
            "0.01,   1",
            "1,      100",
            "12.34,  1234",
            "33.333, 3333",
            "50,     5000",
            "99.99,  9999",
            "100,    10000",
    })
    void theThresholdCountsBasisPoints(double percent, int buckets) {
        assertThat(StickyHash.threshold(percent)).isEqualTo(buckets);
    }

    @ParameterizedTest
    @CsvSource({
            "posts:user-1,   28397792",
            "posts:user-2,   2906824828",
            "'',             0",
    })
    void theHashIsNginxMurmurHash2WithSeedZero(String text, long hash) {
        assertThat(StickyHash.murmur2(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(hash);
    }

    @ParameterizedTest
    @CsvSource({"1", "66", "67", "5000", "9999"})
    void aBucketIsBelowTheThresholdExactlyWhenTheHashIsBelowNginxsCut(int threshold) {
        for (int i = 0; i < 2_000; i++) {
            String key = "user-" + i;
            long hash = StickyHash.murmur2(StickyHash.hashedText("posts", key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(StickyHash.bucket("posts", key) < threshold).as(key).isEqualTo(hash < StickyHash.cut(threshold));
        }
    }
}
