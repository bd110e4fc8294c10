package dev.strangler.core.stage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class StickyHashTest {

    /**
     * Pinned values: gateways of one fleet may run different versions during a rolling upgrade, and
     * every restart must keep users where they were, so a change to the hash is a breaking change.
     */
    @ParameterizedTest
    @CsvSource({
            "posts,   user-1,                                3616",
            "posts,   user-2,                                9113",
            "users,   user-1,                                8703",
            "posts,   10.0.0.1,                              6405",
            "billing, 3f2a9c1e-0000-4000-8000-000000000001,  4313",
            "posts,   '',                                    5844",
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
}
