package dev.strangler.store;

import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.Stage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one route is now, as the store keeps it.
 *
 * <p>The store also remembers what was last applied from the config file ({@code fileStage},
 * {@code filePercent}), so that on start or reload the file wins only when it says something new
 * (DESIGN.md, "file versus runtime state"); otherwise a restart resumes where the route was.
 *
 * @param percent     the service's share of users; meaningful in {@link Stage#CANARY}, 0 otherwise
 * @param enteredAt   when the route reached its current stage and percent, or its step started again
 *                    because its service changed (gates count time from here); kept to the
 *                    microsecond, as the databases store it
 * @param version     1 on create, +1 on every change: the store's compare-and-set token. The store
 *                    writes it itself; the value passed to {@code create} and {@code compareAndSet}
 *                    is ignored
 * @param hold        present after an automatic rollback: the controller does not promote the route
 *                    on its own until it ends (see {@link Hold})
 * @param automaticRollbacks consecutive automatic rollbacks: each one doubles the next hold's length
 * @param removedAt   when the route was found missing from the config file (and that was audited);
 *                    empty while the file has it
 * @param stickyHash  the bucket function of the route's canary: {@link BucketFunction#LEGACY} only for a
 *                    route that was in canary when the store was upgraded to the NGINX function, until
 *                    it leaves canary (the store's migration V10 sets it; {@code Migration} clears it)
 * @param stepService the service the current step gathers evidence about (see {@link StepService});
 *                    empty in a row written before the store's migration V11 until the next reconcile
 */
public record RouteState(String route, Stage stage, double percent, boolean paused,
                         Stage fileStage, double filePercent,
                         Instant enteredAt,
                         long version,
                         Optional<Hold> hold,
                         int automaticRollbacks,
                         Optional<Instant> removedAt,
                         BucketFunction stickyHash,
                         Optional<StepService> stepService) {

    /**
     * The service a route's step is about: a reload that changes it (another service, or the same one
     * defined differently) starts the step again, so the evidence since the step began is the new
     * service's alone.
     *
     * @param name   the service's name in the config file
     * @param digest a digest of the service's definition (URLs, timeouts, pool, trust)
     */
    public record StepService(String name, String digest) {
        public StepService {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(digest, "digest");
        }
    }

    /**
     * The controller's hold on promoting a route after it rolled the route back.
     *
     * @param until   when the back-off ends; kept to the microsecond
     * @param service a digest of the service's definition when the hold began: a different one (the
     *                service was redeployed elsewhere, reconfigured) lifts the hold
     */
    public record Hold(Instant until, String service) {
        public Hold {
            until = Objects.requireNonNull(until, "until").truncatedTo(ChronoUnit.MICROS);
            Objects.requireNonNull(service, "service");
        }
    }

    /** A state with no hold, no automatic rollback counted and present in the file. */
    public RouteState(String route, Stage stage, double percent, boolean paused, Stage fileStage, double filePercent,
                      Instant enteredAt, long version) {
        this(route, stage, percent, paused, fileStage, filePercent, enteredAt, version, Optional.empty(), 0, Optional.empty());
    }

    /** A state whose canary uses {@link BucketFunction#NGINX}. */
    public RouteState(String route, Stage stage, double percent, boolean paused, Stage fileStage, double filePercent,
                      Instant enteredAt, long version, Optional<Hold> hold, int automaticRollbacks, Optional<Instant> removedAt) {
        this(route, stage, percent, paused, fileStage, filePercent, enteredAt, version, hold, automaticRollbacks, removedAt,
                BucketFunction.NGINX, Optional.empty());
    }

    public RouteState {
        Objects.requireNonNull(route, "route");
        if (route.isBlank()) throw new IllegalArgumentException("route: must not be blank");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(fileStage, "fileStage");
        checkPercent("percent", percent);
        checkPercent("filePercent", filePercent);
        enteredAt = Objects.requireNonNull(enteredAt, "enteredAt").truncatedTo(ChronoUnit.MICROS);
        if (version < 0) throw new IllegalArgumentException("version: " + version + " (expected: >= 0)");
        Objects.requireNonNull(hold, "hold");
        if (automaticRollbacks < 0)
            throw new IllegalArgumentException("automaticRollbacks: " + automaticRollbacks + " (expected: >= 0)");
        removedAt = Objects.requireNonNull(removedAt, "removedAt").map(t -> t.truncatedTo(ChronoUnit.MICROS));
        Objects.requireNonNull(stickyHash, "stickyHash");
        Objects.requireNonNull(stepService, "stepService");
    }

    /** The same state with another version (what the store will write, for a change's answer). */
    public RouteState withVersion(long newVersion) {
        return new RouteState(route, stage, percent, paused, fileStage, filePercent, enteredAt, newVersion, hold,
                automaticRollbacks, removedAt, stickyHash, stepService);
    }

    /** The same state at another position, entered at {@code at}. Withers keep the version. */
    public RouteState movedTo(Stage newStage, double newPercent, Instant at) {
        return new RouteState(route, newStage, newPercent, paused, fileStage, filePercent, at, version, hold,
                automaticRollbacks, removedAt, stickyHash, stepService);
    }

    public RouteState withPaused(boolean on) {
        return new RouteState(route, stage, percent, on, fileStage, filePercent, enteredAt, version, hold,
                automaticRollbacks, removedAt, stickyHash, stepService);
    }

    public RouteState withFile(Stage newFileStage, double newFilePercent) {
        return new RouteState(route, stage, percent, paused, newFileStage, newFilePercent, enteredAt, version, hold,
                automaticRollbacks, removedAt, stickyHash, stepService);
    }

    public RouteState withHold(Optional<Hold> newHold, int rollbacks) {
        return new RouteState(route, stage, percent, paused, fileStage, filePercent, enteredAt, version, newHold,
                rollbacks, removedAt, stickyHash, stepService);
    }

    public RouteState withRemovedAt(Optional<Instant> at) {
        return new RouteState(route, stage, percent, paused, fileStage, filePercent, enteredAt, version, hold,
                automaticRollbacks, at, stickyHash, stepService);
    }

    public RouteState withStickyHash(BucketFunction function) {
        return new RouteState(route, stage, percent, paused, fileStage, filePercent, enteredAt, version, hold,
                automaticRollbacks, removedAt, function, stepService);
    }

    public RouteState withStepService(Optional<StepService> service) {
        return new RouteState(route, stage, percent, paused, fileStage, filePercent, enteredAt, version, hold,
                automaticRollbacks, removedAt, stickyHash, service);
    }

    /** Whether the controller may not promote the route on its own at {@code now}. */
    public boolean heldAt(Instant now) {
        return hold.isPresent() && now.isBefore(hold.get().until());
    }

    private static void checkPercent(String name, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: 0..100)");
        }
    }
}
