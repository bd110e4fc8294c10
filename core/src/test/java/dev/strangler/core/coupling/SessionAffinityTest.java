package dev.strangler.core.coupling;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SessionAffinityTest {
    private static final long MINUTE = 60_000;

    @Test
    void aSessionCountsEachGroupAndEachPairOnceHoweverOftenItCallsThem() {
        SessionAffinity a = new SessionAffinity();
        for (int i = 0; i < 5; i++) {
            a.record("alice", "/products", i * 1000L);
            a.record("alice", "/categories", i * 1000L + 1);
        }
        a.record("bob", "/products", 0);
        Affinity m = a.snapshot();
        assertThat(m.sessions()).isEqualTo(2);
        assertThat(m.sessionsWith("/products")).isEqualTo(2);
        assertThat(m.sessionsWith("/categories")).isEqualTo(1);
        assertThat(m.sessionsWithBoth("/products", "/categories")).isEqualTo(1);
        assertThat(m.splitShare("/categories", "/products")).isEqualTo(1.0);
        assertThat(m.splitShare("/products", "/categories")).isEqualTo(0.5);
    }

    @Test
    void aClientIdleLongerThanTheWindowStartsANewSession() {
        SessionAffinity a = new SessionAffinity(10, 10, Duration.ofMinutes(5));
        a.record("alice", "/products", 0);
        a.record("alice", "/cart", 6 * MINUTE);
        a.record("alice", "/checkout", 7 * MINUTE);
        Affinity m = a.snapshot();
        assertThat(m.sessions()).isEqualTo(2);
        assertThat(m.sessionsWithBoth("/products", "/cart")).isZero();
        assertThat(m.sessionsWithBoth("/cart", "/checkout")).isEqualTo(1);
    }

    @Test
    void memoryStaysBoundedUnderAMillionRandomSessions() {
        SessionAffinity a = new SessionAffinity(10_000, 64, Duration.ofMinutes(5));
        Random random = new Random(42);
        for (int i = 0; i < 1_000_000; i++) {
            String client = Long.toHexString(random.nextLong());
            a.record(client, "/g" + random.nextInt(40), i); // all within one idle window: only the LRU bound holds them back
            a.record(client, "/g" + random.nextInt(40), i);
            assertThat(a.liveSessions()).isLessThanOrEqualTo(10_000);
        }
        assertThat(a.liveSessions()).isEqualTo(10_000);
        assertThat(a.groups()).isEqualTo(40);
        Affinity m = a.snapshot();
        assertThat(m.sessions()).isEqualTo(1_000_000);
        assertThat(m.pairs()).hasSizeLessThanOrEqualTo(40 * 39 / 2);
    }

    @Test
    void groupsBeyondTheBoundAreCountedNotTracked() {
        SessionAffinity a = new SessionAffinity(100, 3, Duration.ofMinutes(5));
        for (int g = 0; g < 10; g++) a.record("c", "/g" + g, 0);
        assertThat(a.groups()).isEqualTo(3);
        assertThat(a.ignoredGroups()).isEqualTo(7);
        assertThat(a.snapshot().groups()).containsOnlyKeys("/g0", "/g1", "/g2");
    }

    @Test
    void aCrawlerSessionAddsAtMostSixteenGroups() {
        SessionAffinity a = new SessionAffinity();
        for (int g = 0; g < 40; g++) a.record("crawler", "/g" + g, g);
        assertThat(a.groupsOf("crawler")).hasSize(SessionAffinity.MAX_GROUPS_PER_SESSION);
        assertThat(a.snapshot().pairs()).hasSize(16 * 15 / 2);
    }

    @Test
    void expiredSessionsLeaveTheTableAsNewOnesArrive() {
        SessionAffinity a = new SessionAffinity(1000, 10, Duration.ofMinutes(5));
        for (int i = 0; i < 100; i++) a.record("old" + i, "/a", 0);
        a.record("new", "/a", 10 * MINUTE);
        assertThat(a.liveSessions()).isEqualTo(1);
        assertThat(a.snapshot().sessions()).isEqualTo(101);
    }

    @Test
    void twoGatewaysMatricesSumToTheFleets() {
        SessionAffinity one = new SessionAffinity();
        SessionAffinity two = new SessionAffinity();
        one.record("a", "/x", 0);
        one.record("a", "/y", 0);
        two.record("b", "/x", 0);
        two.record("b", "/y", 0);
        two.record("c", "/z", 0);
        Affinity fleet = one.snapshot().plus(two.snapshot());
        assertThat(fleet.sessions()).isEqualTo(3);
        assertThat(fleet.sessionsWithBoth("/y", "/x")).isEqualTo(2);
        assertThat(fleet.sessionsWith("/z")).isEqualTo(1);
    }
}
