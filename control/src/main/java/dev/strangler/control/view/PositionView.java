package dev.strangler.control.view;

import dev.strangler.core.plan.Position;
import dev.strangler.core.stage.Stage;

import java.util.OptionalDouble;

/** A stage, and the canary share only where the stage has one ({@code percent} is then null in the JSON). */
public record PositionView(String stage, OptionalDouble percent) {
    public static PositionView of(Position p) {
        return of(p.stage(), p.percent());
    }

    public static PositionView of(Stage stage, double percent) {
        return new PositionView(stage.configName(), stage == Stage.CANARY ? OptionalDouble.of(percent) : OptionalDouble.empty());
    }
}
