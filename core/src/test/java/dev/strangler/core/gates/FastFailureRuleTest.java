package dev.strangler.core.gates;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FastFailureRuleTest {
    private static final FastFailureRule RULE = new FastFailureRule(0.01, 0.025);

    @Test
    void eightRefusedRequestsOfEightAreNamedUnreachable() {
        assertThat(RULE.check(List.of(new WindowCounts(8, 8, 8, 2000, 4))).orElseThrow().summary())
                .isEqualTo("service unreachable: 8 of 8 requests got no answer (refused, timed out or reset), "
                        + "while the monolith failed 4 of 2000");
    }

    @Test
    void nineAnswers5xxOfTenAreNamedFailing() {
        assertThat(RULE.check(List.of(new WindowCounts(10, 9, 0, 2000, 4))).orElseThrow().summary())
                .startsWith("service failing: 9 of 10 requests answered 5xx");
        assertThat(RULE.check(List.of(new WindowCounts(10, 9, 4, 2000, 4))).orElseThrow().summary())
                .startsWith("service failing: 9 of 10 requests failed (4 got no answer, 5 answered 5xx)");
    }

    @Test
    void oneRequestPerIntervalFiresAtTheSecondFailureNotBefore() {
        List<WindowCounts> windows = new ArrayList<>();
        windows.add(new WindowCounts(1, 1, 1, 200, 0));
        assertThat(RULE.check(windows)).isEmpty();
        windows.add(new WindowCounts(1, 1, 1, 200, 0));
        assertThat(RULE.check(windows)).hasValueSatisfying(b -> assertThat(b.failed()).isEqualTo(2));
    }

    @Test
    void aFailureAmongSuccessesIsABlipNotARun() {
        assertThat(RULE.check(List.of(new WindowCounts(5, 2, 2, 200, 0)))).isEmpty();
        assertThat(RULE.check(List.of(new WindowCounts(5, 3, 3, 200, 0)))).isPresent();
    }

    @Test
    void aLongGoodPastDoesNotDelayTheRuleOnceTheServiceDies() {
        List<WindowCounts> windows = new ArrayList<>(Collections.nCopies(100, new WindowCounts(500, 1, 0, 500, 1)));
        windows.add(new WindowCounts(50, 45, 45, 50, 0));
        assertThat(RULE.check(windows)).hasValueSatisfying(b -> assertThat(b.of()).isEqualTo(50));
    }

    @Test
    void aFailingMonolithSilencesTheRuleTheServiceIsNotTheProblem() {
        assertThat(RULE.check(List.of(new WindowCounts(20, 20, 0, 200, 200)))).isEmpty();
    }

    @Test
    void inLiveTheFallbacksAloneAreEnough() {
        assertThat(RULE.check(List.of(new WindowCounts(30, 30, 30, 0, 0)))).isPresent();
    }

    @Test
    void scatteredErrorsOfAHealthyServiceNeverFireOverAMillionRequests() {
        Random random = new Random(1);
        List<WindowCounts> windows = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            long errors = 0;
            for (int r = 0; r < 20; r++) if (random.nextDouble() < 0.02) errors++;
            windows.add(new WindowCounts(20, errors, 0, 2000, 4));
            if (i % 1000 == 999) {
                assertThat(RULE.check(windows)).isEmpty();
                windows.subList(0, windows.size() - 1).clear();
            }
        }
    }
}
