package dev.strangler.core.shadow;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the shadow stage learned about one route, at one moment.
 *
 * @param route        the route name
 * @param comparisons  responses compared
 * @param matches      comparisons without differences, or with only confirmed noise
 * @param mismatches   the other comparisons (probable noise still counts here: nothing is hidden)
 * @param dropped      requests not compared, by reason (every reason present)
 * @param matchRate    matches / comparisons; 0 before the first comparison
 * @param paths        the differing paths, most often differing first
 * @param samples      kept samples: the most recent mismatches first, then the most recent matches
 */
public record RouteShadowSummary(String route, long comparisons, long matches, long mismatches,
                                 Map<DropReason, Long> dropped, double matchRate, List<PathStat> paths,
                                 List<Sample> samples) {
    public RouteShadowSummary {
        Objects.requireNonNull(route, "route");
        dropped = Map.copyOf(dropped);
        paths = List.copyOf(paths);
        samples = List.copyOf(samples);
    }

    /** The number of requests not compared, whatever the reason. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The stat of a path, if it differed. */
    public Optional<PathStat> path(String path) {
        return paths.stream().filter(p -> p.path().equals(path)).findFirst();
    }
}
