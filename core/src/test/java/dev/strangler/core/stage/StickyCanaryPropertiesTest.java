package dev.strangler.core.stage;

import dev.strangler.core.routing.RequestFacts;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.StringLength;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The canary split as users see it: sticky, monotone in the percent, exact at 0 and 100, and fair
 * in aggregate. The share checks use fixed key sets and fixed seeds, so they are deterministic for
 * every generated percent, not merely likely to pass.
 */
class StickyCanaryPropertiesTest {
    private static final StickyKey USER_HEADER = new StickyKey.Header("x-user-id");
    private static final int USERS = 10_000;

    /** Fails the test when a decision that should follow the sticky key draws at random instead. */
    private static final RandomGenerator NO_DRAWS = () -> {
        throw new AssertionError("the decision drew at random instead of using the sticky key");
    };

    private static Route canary(String service, double percent) {
        return Route.of(service + "-route", RouteMatch.path("/api/**"), service).withCanary(percent, USER_HEADER);
    }

    private static RequestFacts user(String key) {
        return RequestFacts.Of.get("/api/things/1").withHeader("x-user-id", key);
    }

    private static boolean onService(Decider decider, Route route, RequestFacts request) {
        return decider.decide(route, request).target() == Target.SERVICE;
    }

    @Property(tries = 500)
    void theSameKeyAlwaysGetsTheSameDecision(
            @ForAll @StringLength(min = 1, max = 40) String key,
            @ForAll @DoubleRange(min = 0, max = 100) double percent,
            @ForAll("services") String service,
            @ForAll long gatewayA,
            @ForAll long gatewayB) {
        Route route = canary(service, percent);
        // Two gateways of a fleet, each with its own random source, asked twice each.
        Decider a = new Decider(new Random(gatewayA));
        Decider b = new Decider(new Random(gatewayB));
        Target first = a.decide(route, user(key)).target();

        assertThat(a.decide(route, user(key)).target()).isEqualTo(first);
        assertThat(b.decide(route, user(key)).target()).isEqualTo(first);
        assertThat(b.decide(route, user(key)).target()).isEqualTo(first);
        assertThat(StickyHash.bucket(service, key)).isEqualTo(StickyHash.bucket(service, key));
    }

    @Property(tries = 1000)
    void aUserOnTheServiceStaysThereAsThePercentGrows(
            @ForAll @StringLength(min = 1, max = 40) String key,
            @ForAll("services") String service,
            @ForAll @DoubleRange(min = 0, max = 100) double p,
            @ForAll @DoubleRange(min = 0, max = 100) double q) {
        double lower = Math.min(p, q);
        double higher = Math.max(p, q);
        Decider decider = new Decider(NO_DRAWS);

        if (onService(decider, canary(service, lower), user(key)))
            assertThat(onService(decider, canary(service, higher), user(key))).as("on the service at %s%% but not at %s%%", lower, higher).isTrue();
    }

    @Property(tries = 200)
    void raisingThePercentStepByStepOnlyMovesUsersFromTheMonolithToTheService(
            @ForAll @StringLength(min = 1, max = 40) String key,
            @ForAll("services") String service) {
        Decider decider = new Decider(NO_DRAWS);
        boolean wasOnService = false;
        for (int basisPoints = 0; basisPoints <= 10_000; basisPoints += 7) {
            double percent = basisPoints / 100.0;
            boolean isOnService = onService(decider, canary(service, percent), user(key));
            assertThat(!wasOnService || isOnService).as("moved back to the monolith at %s%%", percent).isTrue();
            wasOnService = isOnService;
        }
        assertThat(onService(decider, canary(service, 100), user(key))).isTrue();
    }

    @Property(tries = 300)
    void atZeroPercentNobodyReachesTheService(
            @ForAll @StringLength(max = 40) String key,
            @ForAll("services") String service,
            @ForAll long seed) {
        Decider decider = new Decider(new Random(seed));

        assertThat(onService(decider, canary(service, 0), user(key))).isFalse();
        assertThat(onService(decider, canary(service, 0), RequestFacts.Of.get("/api/x"))).isFalse();
    }

    @Property(tries = 300)
    void atHundredPercentEverybodyReachesTheService(
            @ForAll @StringLength(max = 40) String key,
            @ForAll("services") String service,
            @ForAll long seed) {
        Decider decider = new Decider(new Random(seed));

        assertThat(onService(decider, canary(service, 100), user(key))).isTrue();
        assertThat(onService(decider, canary(service, 100), RequestFacts.Of.get("/api/x"))).isTrue();
    }

    @Property(tries = 60)
    void theServiceShareOfTenThousandUsersIsWithinTwoPointsOfThePercent(
            @ForAll @DoubleRange(min = 0, max = 100) double percent,
            @ForAll("services") String service,
            @ForAll("keyFamilies") IntFunction<String> keys) {
        Route route = canary(service, percent);
        Decider decider = new Decider(NO_DRAWS);
        List<String> distinct = new ArrayList<>(USERS);
        for (int i = 0; i < USERS; i++) distinct.add(keys.apply(i));
        assertThat(distinct).doesNotHaveDuplicates();

        long served = distinct.stream().filter(k -> onService(decider, route, user(k))).count();

        assertThat(100.0 * served / USERS).isCloseTo(percent, offset(2.0));
    }

    @Property(tries = 60)
    void requestsWithoutTheStickyKeyAreDrawnAtThePercent(@ForAll @DoubleRange(min = 0, max = 100) double percent) {
        Route route = canary("posts", percent);
        Decider decider = new Decider(new Random(0x5EED));
        RequestFacts keyless = RequestFacts.Of.get("/api/things/1");

        int served = 0;
        for (int i = 0; i < USERS; i++) if (onService(decider, route, keyless)) served++;

        assertThat(100.0 * served / USERS).isCloseTo(percent, offset(2.0));
    }

    @Property(tries = 500)
    void aBucketIsOneOfTheBuckets(@ForAll String salt, @ForAll String value) {
        assertThat(StickyHash.bucket(salt, value)).isBetween(0, StickyHash.BUCKETS - 1);
    }

    @Property(tries = 500)
    void theThresholdGrowsWithThePercent(
            @ForAll @DoubleRange(min = 0, max = 100) double p,
            @ForAll @DoubleRange(min = 0, max = 100) double q) {
        double lower = Math.min(p, q);
        double higher = Math.max(p, q);

        assertThat(StickyHash.threshold(lower)).isLessThanOrEqualTo(StickyHash.threshold(higher)).isBetween(0, StickyHash.BUCKETS);
    }

    @Provide
    Arbitrary<String> services() {
        return Arbitraries.of("posts", "users", "billing", "search", "checkout");
    }

    /** Realistic sticky key values: sequential ids, numbers, UUIDs, addresses and e-mail addresses. */
    @Provide
    Arbitrary<IntFunction<String>> keyFamilies() {
        Random uuidSource = new Random(42);
        List<String> uuids = new ArrayList<>(USERS);
        for (int i = 0; i < USERS; i++) uuids.add(new UUID(uuidSource.nextLong(), uuidSource.nextLong()).toString());
        return Arbitraries.of(
                i -> "user-" + i,
                i -> Integer.toString(100_000 + i),
                uuids::get,
                i -> "10.0." + (i / 256) + "." + (i % 256),
                i -> "first.last" + i + "@example.com");
    }
}
