package dev.strangler.control.migration;

import dev.strangler.core.plan.Position;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.StaleReadRisk;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a move risks without being refused for it. A move through the API, the CLI or the dashboard
 * gets the same stale-read check ({@link StaleReadRisk}) as {@code validate} and a reload, judged on
 * the routes as served: the move answers with it and its audit entry keeps it.
 */
final class MoveWarnings {
    private MoveWarnings() {}

    /**
     * The stale-read pairs that moving {@code route} to {@code to} creates among {@code served} (every
     * route at its runtime position), as messages. A pair that already existed before the move (the same
     * routes, the same way) is not repeated: the move did not create it. Pure.
     */
    static List<String> staleReadsCreated(List<Route> served, String route, Position to) {
        List<Route> after = served.stream().map(r -> r.name().equals(route) ? r.at(to) : r).toList();
        Set<List<Object>> existing = new HashSet<>();
        for (StaleReadRisk risk : StaleReadRisk.find(served)) existing.add(pair(risk));
        return StaleReadRisk.find(after).stream().filter(risk -> !existing.contains(pair(risk))).map(StaleReadRisk::message).toList();
    }

    private static List<Object> pair(StaleReadRisk risk) {
        return List.of(risk.writes().name(), risk.reads().name(), risk.kind());
    }
}
