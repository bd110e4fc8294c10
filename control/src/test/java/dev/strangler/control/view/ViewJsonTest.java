package dev.strangler.control.view;

import dev.strangler.core.plan.SideSample;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read model's JSON keeps the shape docs/admin-api.md documents and `strangler status` reads. */
class ViewJsonTest {
    private static final Instant SINCE = Instant.parse("2026-11-25T14:00:00Z");

    private static RouteView route(String stage, OptionalDouble percent, Numbers numbers, Optional<WindowView> window) {
        return new RouteView("posts-read", "posts", stage, percent, Automation.HELD, false, true, "/api/posts/**",
                List.of("GET", "HEAD"), Optional.of(SINCE),
                Optional.of(new HoldView(SINCE.plusSeconds(600), "held after rollback until ...")), 1,
                Optional.of(new PositionView("canary", OptionalDouble.of(25.0))), List.of(1.0, 5.0, 25.0), numbers, window,
                Optional.of(new JudgementView(SINCE, "hold", "waiting for data", List.of("error rate: NOT_ENOUGH_DATA"))),
                Optional.of("held after an automatic rollback"));
    }

    @Test
    void aMeasuredCanaryRouteHasItsPercentBothSidesAndTheMatchRate() {
        WindowView window = new WindowView(SideView.of(new SideSample(950, 3, new double[] {4.0, 5.0}), Duration.ofSeconds(100)),
                SideView.of(new SideSample(50, 0, new double[] {3.0}), Duration.ofSeconds(100)), ShadowRate.of(0, 0));
        JsonObject json = new JsonObject(new String(ViewJson.write(route("canary", OptionalDouble.of(5.0), Numbers.MEASURED,
                Optional.of(window))), java.nio.charset.StandardCharsets.UTF_8));

        assertThat(json.getString("stage")).isEqualTo("canary");
        assertThat(json.getDouble("percent")).isEqualTo(5.0);
        assertThat(json.getString("since")).isEqualTo("2026-11-25T14:00:00Z");
        assertThat(json.getString("automation")).isEqualTo("held");
        assertThat(json.getString("numbers")).isEqualTo("measured");
        assertThat(json.getJsonObject("hold").getString("until")).isEqualTo("2026-11-25T14:10:00Z");
        assertThat(json.getJsonObject("next")).isEqualTo(new JsonObject().put("stage", "canary").put("percent", 25.0));
        JsonObject monolith = json.getJsonObject("window").getJsonObject("monolith");
        assertThat(monolith.getLong("requests")).isEqualTo(950);
        assertThat(monolith.getDouble("ratePerSecond")).isEqualTo(9.5);
        assertThat(monolith.getDouble("errorRate")).isEqualTo(3 / 950.0);
        assertThat(monolith.getDouble("p50Ms")).isNotNull();
        assertThat(json.getJsonObject("window").getJsonObject("shadow").containsKey("matchRate")).isTrue();
        assertThat(json.getJsonObject("window").getJsonObject("shadow").getValue("matchRate")).isNull();
        assertThat(json.getJsonObject("lastDecision").getString("action")).isEqualTo("hold");
        assertThat(json.getJsonObject("lastDecision").getJsonArray("evidence").getString(0)).startsWith("error rate");
    }

    @Test
    void aLiveRouteHasANullPercentAndAnUnreachableStoreIsSaidNotLeftAsABareNull() {
        JsonObject json = new JsonObject(new String(ViewJson.write(route("live", OptionalDouble.empty(), Numbers.STORE_UNREACHABLE,
                Optional.empty())), java.nio.charset.StandardCharsets.UTF_8));

        assertThat(json.containsKey("percent")).isTrue();
        assertThat(json.getValue("percent")).as("live has no share: null, not 0").isNull();
        assertThat(json.getString("numbers")).isEqualTo("store-unreachable");
        assertThat(json.getValue("window")).isNull();
    }

    @Test
    void aWindowWithoutMeasuredNumbersCannotBeBuilt() {
        assertThatThrownBy(() -> route("live", OptionalDouble.empty(), Numbers.STORE_UNREACHABLE,
                Optional.of(new WindowView(SideView.NONE, SideView.NONE, ShadowRate.of(0, 0)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly when measured");
    }

    @Test
    void problemsComeFirstAndOtherwiseTheConfigOrderStays() {
        RouteView held = route("shadow", OptionalDouble.empty(), Numbers.NOT_STARTED, Optional.empty());
        RouteView fine = withoutProblem(held, "a");
        RouteView alsoFine = withoutProblem(held, "b");
        assertThat(ReadModel.problemsFirst(List.of(fine, held, alsoFine))).containsExactly(held, fine, alsoFine);
    }

    private static RouteView withoutProblem(RouteView r, String name) {
        return new RouteView(name, r.service(), r.stage(), r.percent(), Automation.AUTO, false, true, r.path(), r.methods(),
                r.since(), Optional.empty(), 0, r.next(), r.steps(), r.numbers(), r.window(), r.lastDecision(), Optional.empty());
    }
}
