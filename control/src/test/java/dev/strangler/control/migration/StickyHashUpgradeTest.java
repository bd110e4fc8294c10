package dev.strangler.control.migration;

import dev.strangler.control.testing.TestClock;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Position;
import dev.strangler.core.routing.RequestFacts;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.Decider;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyHash;
import dev.strangler.core.stage.Target;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.RouteState;
import dev.strangler.store.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route in canary when the store was upgraded to the NGINX sticky hash (the store's V10 marks it
 * {@code legacy}; the store's contract test proves that) keeps every user on the side the previous
 * version put them, for the rest of that canary; its next canary draws with NGINX's function.
 */
class StickyHashUpgradeTest {
    private static final int USERS = 1000;
    private static final RandomGenerator NO_DRAWS = () -> {
        throw new AssertionError("a request with a sticky key drew at random");
    };

    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final StateStore store = StateStore.open("jdbc:h2:mem:sticky-upgrade-" + System.nanoTime());
    private final Decider decider = new Decider(NO_DRAWS);

    @AfterEach
    void close() {
        store.close();
    }

    private static GatewayConfig file() {
        try {
            return ConfigLoader.parse("""
                    monolith: { url: http://127.0.0.1:1 }
                    services:
                      posts: { url: http://127.0.0.1:2 }
                    routes:
                      - name: posts-read
                        match: { path: /api/posts/** }
                        service: posts
                        stage: canary
                        percent: 10
                        sticky: header:X-User-Id
                    """, Path.of("strangler.yaml"), Map.of());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The side each user is served by, as the data plane decides it from the config the migration hands out. */
    private List<Target> sides(GatewayConfig served) {
        Route route = served.routes().getFirst();
        List<Target> sides = new ArrayList<>(USERS);
        for (int user = 0; user < USERS; user++) {
            RequestFacts request = RequestFacts.Of.get("/api/posts/1").withHeader("x-user-id", "user-" + user);
            sides.add(decider.decide(route, request).target());
        }
        return sides;
    }

    /** What a gateway before the NGINX hash did at {@code percent}: the legacy bucket below the threshold. */
    private static List<Target> legacySides(double percent) {
        List<Target> sides = new ArrayList<>(USERS);
        for (int user = 0; user < USERS; user++) {
            boolean service = StickyHash.legacyBucket("posts", "user-" + user) < StickyHash.threshold(percent);
            sides.add(service ? Target.SERVICE : Target.MONOLITH);
        }
        return sides;
    }

    private static List<Target> nginxSides(double percent) {
        List<Target> sides = new ArrayList<>(USERS);
        for (int user = 0; user < USERS; user++) {
            boolean service = StickyHash.bucket("posts", "user-" + user) < StickyHash.threshold(percent);
            sides.add(service ? Target.SERVICE : Target.MONOLITH);
        }
        return sides;
    }

    /** The route's row as V10 leaves it for a route in canary at 10% when the upgraded gateway first opened the store. */
    private void storeAsUpgraded() {
        Instant at = clock.instant();
        assertThat(store.create(new RouteState("posts-read", Stage.CANARY, 10, false, Stage.CANARY, 10, at, 1)
                        .withStickyHash(BucketFunction.LEGACY),
                new AuditEntry(0, at, "posts-read", "config", "create", null, 0, Stage.CANARY, 10, "before the upgrade", List.of())))
                .isTrue();
    }

    private GatewayConfig served(Migration migration) {
        return Migration.overlay(migration.file(), migration.states());
    }

    @Test
    void aCanaryRunningAtTheUpgradeKeepsEveryUserOnTheirSideUntilItLeavesCanaryThenTheNextCanaryUsesNginx() {
        // The store as V10 leaves it: the route was in canary at 10% when the upgraded gateway first opened it.
        storeAsUpgraded();
        Migration migration = new Migration(store, file(), clock, GateCheck.NONE);

        GatewayConfig atUpgrade = migration.reconcile(file());
        assertThat(atUpgrade.routes().getFirst().stickyHash()).isEqualTo(BucketFunction.LEGACY);
        assertThat(sides(atUpgrade)).as("each of %s users on the side the previous version chose", USERS)
                .isEqualTo(legacySides(10));
        assertThat(legacySides(10)).as("the NGINX function would have moved users: the test tells them apart")
                .isNotEqualTo(nginxSides(10));

        migration.setPercent("posts-read", 40, false, "alice", "a good week");
        GatewayConfig raised = served(migration);
        assertThat(raised.routes().getFirst().stickyHash()).isEqualTo(BucketFunction.LEGACY);
        List<Target> at10 = sides(atUpgrade);
        List<Target> at40 = sides(raised);
        int moved = 0;
        for (int user = 0; user < USERS; user++) {
            if (at10.get(user) == Target.SERVICE) {
                assertThat(at40.get(user)).as("user-%s was on the service at 10%%", user).isEqualTo(Target.SERVICE);
            } else if (at40.get(user) == Target.SERVICE) {
                moved++;
            }
        }
        assertThat(moved).as("users moved towards the service by the raise").isGreaterThan(200);
        assertThat(at40).isEqualTo(legacySides(40));

        migration.promote("posts-read", Optional.of(Position.LIVE), false, "alice", "done");
        assertThat(store.routeState("posts-read").orElseThrow().stickyHash()).isEqualTo(BucketFunction.NGINX);
        migration.rollback("posts-read", Optional.of(Position.canary(40)), true, "bob", "errors in live");

        GatewayConfig nextCanary = served(migration);
        assertThat(nextCanary.routes().getFirst().stickyHash()).isEqualTo(BucketFunction.NGINX);
        assertThat(sides(nextCanary)).as("a canary begun after the upgrade draws with NGINX's function").isEqualTo(nginxSides(40));
    }

    @Test
    void aRouteRolledBackFromItsLegacyCanaryToShadowUsesNginxWhenItComesBackToCanary() {
        storeAsUpgraded();
        Migration migration = new Migration(store, file(), clock, GateCheck.NONE);
        migration.reconcile(file());

        migration.rollback("posts-read", Optional.empty(), false, "bob", "diffs");
        assertThat(store.routeState("posts-read").orElseThrow().stickyHash()).isEqualTo(BucketFunction.NGINX);
        migration.promote("posts-read", Optional.of(Position.canary(10)), false, "bob", "fixed");

        assertThat(sides(served(migration))).isEqualTo(nginxSides(10));
    }
}
