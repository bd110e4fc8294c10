package dev.strangler.core.plan;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TransitionsTest {
    private static final PromotionPlan PLAN = new PromotionPlan(true, List.of(1.0, 5.0, 25.0, 50.0, 100.0), Gates.DEFAULT);

    @Test
    void promotingWalksThePlanFromMonolithToRetired() {
        Position p = Position.MONOLITH;
        StringBuilder walk = new StringBuilder(p.toString());
        for (Optional<Position> next = Transitions.next(p, PLAN); next.isPresent(); next = Transitions.next(next.get(), PLAN)) {
            assertThat(Transitions.check(p, next.get(), false)).as(p + " → " + next.get()).isEmpty();
            p = next.get();
            walk.append(" → ").append(p);
        }
        assertThat(walk.toString()).isEqualTo("monolith → shadow → canary 1% → canary 5% → canary 25% → canary 50% → live → retired");
    }

    @Test
    void aCanaryBetweenStepsGoesToTheNextLargerStep() {
        assertThat(Transitions.next(Position.canary(10), PLAN)).contains(Position.canary(25));
        assertThat(Transitions.next(Position.canary(60), PLAN)).contains(Position.LIVE);
    }

    @Test
    void skippingAStageIsRefusedWithTheStepByStepWayAndForce() {
        Refusal r = Transitions.check("posts", Position.MONOLITH, Position.LIVE, false).orElseThrow();
        assertThat(r.reason()).isEqualTo("monolith → live skips shadow and canary, so the service would serve users "
                + "without its answers ever being compared with the monolith's");
        assertThat(r.hint()).isEqualTo("`strangler promote posts` moves one step at a time (next: shadow); "
                + "`strangler promote posts --to live --force` skips");
        assertThat(Transitions.check(Position.SHADOW, Position.LIVE, false)).isPresent();
        assertThat(Transitions.check(Position.canary(50), Position.RETIRED, false)).isPresent();
        assertThat(Transitions.check(Position.MONOLITH, Position.LIVE, true)).isEmpty();
    }

    @Test
    void movingBackIsAllowedExceptOutOfRetiredWithoutForce() {
        assertThat(Transitions.check(Position.LIVE, Position.MONOLITH, false)).isEmpty();
        assertThat(Transitions.check(Position.canary(25), Position.canary(5), false)).isEmpty();
        assertThat(Transitions.check(Position.LIVE, Position.canary(50), false)).isEmpty();
        assertThat(Transitions.check(Position.RETIRED, Position.SHADOW, false).orElseThrow().hint()).contains("force");
        assertThat(Transitions.check(Position.RETIRED, Position.SHADOW, true)).isEmpty();
    }

    @Test
    void everyHintNamesAStranglerCommandForTheRoute() {
        List<Refusal> refusals = List.of(
                Transitions.check("posts", Position.RETIRED, Position.SHADOW, false).orElseThrow(),
                Transitions.check("posts", Position.SHADOW, Position.LIVE, false).orElseThrow(),
                Transitions.lowerWithPromote("posts", Position.canary(25), Position.canary(5)),
                Transitions.behindWithPromote("posts", Position.LIVE, Position.SHADOW),
                Transitions.aheadWithRollback("posts", Position.SHADOW, Position.canary(50)),
                Transitions.percentOutsideCanary("posts", Position.SHADOW, 5),
                Transitions.percentOutsideCanary("posts", Position.LIVE, 5));
        assertThat(refusals).allSatisfy(r -> assertThat(r.hint()).containsPattern("`strangler [a-z]+ posts[^`]*`"));
        assertThat(refusals.get(0).hint()).endsWith("`strangler rollback posts --to shadow --reason TEXT --force`");
        assertThat(refusals.get(2).hint()).isEqualTo("`strangler percent posts 5 --reason TEXT` lowers the canary share");
        assertThat(refusals.get(3).hint()).isEqualTo("`strangler rollback posts --to shadow --reason TEXT` moves it back");
        assertThat(refusals.get(4).hint()).isEqualTo("`strangler promote posts --to canary:50` moves it forward");
        assertThat(refusals.get(5).hint()).isEqualTo("`strangler promote posts --to canary:5` puts it in canary");
        assertThat(refusals.get(6).hint()).isEqualTo("`strangler rollback posts --to canary:5 --reason TEXT` moves it back to canary");
    }

    @Test
    void stayingPutIsRefusedEvenWithForce() {
        assertThat(Transitions.check(Position.canary(5), Position.canary(5), true).orElseThrow().reason())
                .isEqualTo("the route is already at canary 5%");
    }

    @Test
    void rollbackGoesToShadowOrFromShadowToMonolith() {
        assertThat(Transitions.rollbackTarget(Position.canary(5))).contains(Position.SHADOW);
        assertThat(Transitions.rollbackTarget(Position.LIVE)).contains(Position.SHADOW);
        assertThat(Transitions.rollbackTarget(Position.SHADOW)).contains(Position.MONOLITH);
        assertThat(Transitions.rollbackTarget(Position.MONOLITH)).isEmpty();
    }

    @Test
    void positionsParseAndPrintAsPeopleWriteThem() {
        assertThat(Position.parse("canary:25")).contains(Position.canary(25));
        assertThat(Position.parse("canary:2.5%")).contains(Position.canary(2.5));
        assertThat(Position.parse("LIVE")).contains(Position.LIVE);
        assertThat(Position.parse("canary")).isEmpty();
        assertThat(Position.parse("canary:150")).isEmpty();
        assertThat(Position.parse("live:5")).isEmpty();
        assertThat(Position.parse("moon")).isEmpty();
        assertThat(Position.canary(2.5).toString()).isEqualTo("canary 2.5%");
    }

    @Test
    void aHundredAsTheLastStepMeansLiveAndOtherBadStepsAreRefused() {
        assertThat(PLAN.steps()).containsExactly(1.0, 5.0, 25.0, 50.0);
        for (List<Double> bad : List.of(List.<Double>of(), List.of(5.0, 1.0), List.of(0.0, 5.0), List.of(100.0), List.of(50.0, 100.0, 100.0))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PromotionPlan(true, bad, Gates.DEFAULT))
                    .as(bad.toString()).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
