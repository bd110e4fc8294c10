package dev.strangler.gateway.proxy;

import dev.strangler.core.config.Outlier;
import dev.strangler.gateway.observe.Failure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Outlier ejection on an injected clock: which failures count, how long an ejection lasts, what ends it. */
class EjectionsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Outlier outlier = new Outlier(3, Duration.ofSeconds(10), Duration.ofSeconds(25));
    private final Ejections ejections = new Ejections(outlier, 2, now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private void failTimes(int n, Failure f) {
        for (int i = 0; i < n; i++) ejections.failed(0, f);
    }

    @Test
    void anEndpointIsEjectedAtTheNthHardFailureInARowAndNotBefore() {
        assertThat(ejections.failed(0, Failure.CONNECT_REFUSED)).isFalse();
        assertThat(ejections.failed(0, Failure.RESET_BY_BACKEND)).isFalse();
        assertThat(ejections.isAvailable(0)).isTrue();
        assertThat(ejections.failed(0, Failure.CONNECT_TIMEOUT)).isTrue();
        assertThat(ejections.isAvailable(0)).isFalse();
        assertThat(ejections.isAvailable(1)).as("the other endpoint").isTrue();
    }

    @Test
    void anAnswerInTheMiddleEndsTheRun() {
        failTimes(2, Failure.CONNECT_REFUSED);
        ejections.answered(0);
        failTimes(2, Failure.CONNECT_REFUSED);
        assertThat(ejections.isAvailable(0)).isTrue();
    }

    @Test
    void slowOrTruncatedAnswersAndTheClientsFailuresNeverEject() {
        failTimes(10, Failure.RESPONSE_TIMEOUT);
        failTimes(10, Failure.TRUNCATED_RESPONSE);
        failTimes(10, Failure.CLIENT_ABORTED);
        assertThat(ejections.isAvailable(0)).isTrue();
    }

    @Test
    void theEjectionEndsAfterItsTimeAndGrowsWithEachEjectionInARowUpToTheMax() {
        failTimes(3, Failure.CONNECT_REFUSED);
        advance(Duration.ofSeconds(10).minusNanos(1));
        assertThat(ejections.isAvailable(0)).isFalse();
        advance(Duration.ofNanos(1));
        assertThat(ejections.isAvailable(0)).isTrue();

        failTimes(3, Failure.CONNECT_REFUSED); // still dead: the second ejection lasts 20 s
        advance(Duration.ofSeconds(19));
        assertThat(ejections.isAvailable(0)).isFalse();
        advance(Duration.ofSeconds(1));
        assertThat(ejections.isAvailable(0)).isTrue();

        failTimes(3, Failure.CONNECT_REFUSED); // the third: 30 s, capped at 25 s
        advance(Duration.ofSeconds(25));
        assertThat(ejections.isAvailable(0)).isTrue();
    }

    @Test
    void anAnswerAfterAnEjectionStartsTheGrowthAgain() {
        failTimes(3, Failure.CONNECT_REFUSED);
        advance(Duration.ofSeconds(10));
        assertThat(ejections.isAvailable(0)).isTrue();
        ejections.answered(0);
        failTimes(3, Failure.CONNECT_REFUSED);
        advance(Duration.ofSeconds(10));
        assertThat(ejections.isAvailable(0)).as("10 s again, not 20").isTrue();
    }

    @Test
    void failuresWhileEjectedDoNotExtendTheEjection() {
        failTimes(3, Failure.CONNECT_REFUSED);
        assertThat(ejections.failed(0, Failure.CONNECT_REFUSED)).isFalse();
        advance(Duration.ofSeconds(10));
        assertThat(ejections.isAvailable(0)).isTrue();
    }

    @Test
    void zeroConsecutiveFailuresTurnsEjectionOff() {
        Ejections off = new Ejections(Outlier.OFF, 1, now::get);
        for (int i = 0; i < 100; i++) assertThat(off.failed(0, Failure.CONNECT_REFUSED)).isFalse();
        assertThat(off.isAvailable(0)).isTrue();
    }
}
