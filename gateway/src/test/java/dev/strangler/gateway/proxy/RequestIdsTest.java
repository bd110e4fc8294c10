package dev.strangler.gateway.proxy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTest {
    @Test
    void aFreshRequestIdIs32LowerCaseHexDigitsAndASaneClientIdIsKept() {
        RequestIds ids = new RequestIds(() -> ThreadLocalRandom.current().nextLong());

        assertThat(ids.of(null)).matches("[0-9a-f]{32}");
        assertThat(ids.of("")).matches("[0-9a-f]{32}");
        assertThat(ids.of("bad id")).matches("[0-9a-f]{32}").isNotEqualTo(ids.of("bad id"));
        assertThat(ids.of("quo\"te")).matches("[0-9a-f]{32}");
        assertThat(ids.of("x".repeat(129))).matches("[0-9a-f]{32}");
        assertThat(ids.of("x".repeat(128))).isEqualTo("x".repeat(128));
        assertThat(ids.of("abc-123")).isEqualTo("abc-123");
    }

    /** The digits are written into one array the instance reuses: each id must still be its own, unchanged by the next. */
    @Property(tries = 300)
    void eachFreshIdIsItsTwoRandomLongsInHexWithLeadingZeros(@ForAll long a, @ForAll long b, @ForAll long c, @ForAll long d) {
        ArrayDeque<Long> draws = new ArrayDeque<>(List.of(a, b, c, d));
        RequestIds ids = new RequestIds(draws::removeFirst);

        String first = ids.of(null);
        String second = ids.of(null);

        assertThat(first).isEqualTo("%016x%016x".formatted(a, b));
        assertThat(second).isEqualTo("%016x%016x".formatted(c, d));
    }
}
