package dev.strangler.store;

import dev.strangler.core.stage.Stage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Where one route is now, as the store keeps it.
 *
 * <p>The store also remembers what was last applied from the config file ({@code fileStage},
 * {@code filePercent}), so that on start or reload the file wins only when it says something new
 * (DESIGN.md, "file versus runtime state"); otherwise a restart resumes where the route was.
 *
 * @param percent     the service's share of users; meaningful in {@link Stage#CANARY}, 0 otherwise
 * @param enteredAt   when the route reached its current stage and percent (gates count time from
 *                    here); kept to the microsecond, as the databases store it
 * @param version     1 on create, +1 on every change: the store's compare-and-set token. The store
 *                    writes it itself; the value passed to {@code create} and {@code compareAndSet}
 *                    is ignored
 */
public record RouteState(String route, Stage stage, double percent, boolean paused,
                         Stage fileStage, double filePercent,
                         Instant enteredAt,
                         long version) {

    public RouteState {
        Objects.requireNonNull(route, "route");
        if (route.isBlank()) throw new IllegalArgumentException("route: must not be blank");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(fileStage, "fileStage");
        checkPercent("percent", percent);
        checkPercent("filePercent", filePercent);
        enteredAt = Objects.requireNonNull(enteredAt, "enteredAt").truncatedTo(ChronoUnit.MICROS);
        if (version < 0) throw new IllegalArgumentException("version: " + version + " (expected: >= 0)");
    }

    private static void checkPercent(String name, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: 0..100)");
        }
    }
}
