package dev.strangler.core.stage;

import dev.strangler.core.routing.RequestFacts;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.routing.RouteTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.offset;

class DeciderTest {
    /** A random source that fails the test when a decision that should be sticky draws from it. */
    private static final RandomGenerator NO_DRAWS = () -> {
        throw new AssertionError("the decision drew at random instead of using the sticky key");
    };

    private static final StickyKey USER_HEADER = new StickyKey.Header("X-User-Id");

    private final Decider decider = new Decider(new Random(7));

    private static Route posts(Stage stage) {
        return Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withStage(stage);
    }

    private static RequestFacts.Of get() {
        return RequestFacts.Of.get("/api/posts/1");
    }

    @Test
    void anUnroutedRequestGoesToTheMonolithWithoutFallback() {
        RouteTable table = RouteTable.of(List.of(posts(Stage.RETIRED)));

        Decision decision = decider.decide(table, RequestFacts.Of.get("/api/users/1"));

        assertThat(decision).isEqualTo(Decision.UNROUTED);
        assertThat(decision.route()).isEmpty();
        assertThat(decision.target()).isEqualTo(Target.MONOLITH);
        assertThat(decision.fallbackToMonolith()).isFalse();
        assertThat(decision.stage()).isEqualTo(Stage.MONOLITH);
    }

    @Test
    void aRoutedRequestCarriesTheRouteThatClaimedIt() {
        Route retired = posts(Stage.RETIRED);
        RouteTable table = RouteTable.of(List.of(retired, Route.of("users", RouteMatch.path("/api/users/**"), "users")));

        Decision decision = decider.decide(table, get());

        assertThat(decision.route()).containsSame(retired);
        assertThat(decision.stage()).isEqualTo(Stage.RETIRED);
        assertThat(decision.target()).isEqualTo(Target.SERVICE);
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"MONOLITH", "SHADOW"})
    void theMonolithAnswersBeforeTheCanary(Stage stage) {
        Decision decision = decider.decide(posts(stage), get());

        assertThat(decision.target()).isEqualTo(Target.MONOLITH);
        assertThat(decision.fallbackToMonolith()).isFalse();
        assertThat(decision.stage()).isEqualTo(stage);
    }

    @Test
    void aCanaryAtZeroPercentSendsNobodyToTheService() {
        Route route = posts(Stage.MONOLITH).withCanary(0, USER_HEADER);

        for (int user = 0; user < 1000; user++) {
            assertThat(new Decider(NO_DRAWS).decide(route, get().withHeader("x-user-id", "u" + user)).target())
                    .isEqualTo(Target.MONOLITH);
        }
        assertThat(new Decider(NO_DRAWS).decide(route, get()).target()).isEqualTo(Target.MONOLITH);
    }

    @Test
    void aCanaryAtHundredPercentSendsEverybodyToTheService() {
        Route route = posts(Stage.MONOLITH).withCanary(100, USER_HEADER);

        for (int user = 0; user < 1000; user++) {
            assertThat(new Decider(NO_DRAWS).decide(route, get().withHeader("x-user-id", "u" + user)).target())
                    .isEqualTo(Target.SERVICE);
        }
        assertThat(new Decider(NO_DRAWS).decide(route, get()).target()).isEqualTo(Target.SERVICE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    void canaryUsersOnTheServiceFallBackLikeLiveForSafeRequests(String method) {
        Route route = posts(Stage.MONOLITH).withCanary(100, USER_HEADER);

        Decision decision = decider.decide(route, get().withMethod(method).withHeader("x-user-id", "u1"));

        assertThat(decision.target()).isEqualTo(Target.SERVICE);
        assertThat(decision.fallbackToMonolith()).isTrue();
        assertThat(decision.stage()).isEqualTo(Stage.CANARY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void canaryWritesFallBackOnlyWithFallbackAll(String method) {
        Route safe = posts(Stage.MONOLITH).withCanary(100, USER_HEADER);
        Route all = safe.withFallback(FallbackPolicy.ALL);
        RequestFacts.Of write = get().withMethod(method).withHeader("x-user-id", "u1");

        assertThat(decider.decide(safe, write).fallbackToMonolith()).isFalse();
        assertThat(decider.decide(all, write).fallbackToMonolith()).isTrue();
    }

    @Test
    void canaryUsersTheMonolithServesHaveNothingToFallBackTo() {
        Route route = posts(Stage.MONOLITH).withCanary(0, USER_HEADER).withFallback(FallbackPolicy.ALL);

        Decision decision = decider.decide(route, get().withHeader("x-user-id", "u1"));

        assertThat(decision.target()).isEqualTo(Target.MONOLITH);
        assertThat(decision.fallbackToMonolith()).isFalse();
    }

    @Test
    void aShadowRouteCopiesPlainRequestsButNeverAnUpgrade() {
        RequestFacts.Of upgrade = get().withHeader("upgrade", "websocket").withHeader("connection", "keep-alive, Upgrade");

        Decision plain = decider.decide(posts(Stage.SHADOW), get());
        Decision tunnel = decider.decide(posts(Stage.SHADOW), upgrade);

        assertThat(plain.shadowCopy()).isTrue();
        assertThat(plain.tunnel()).isFalse();
        assertThat(tunnel.target()).isEqualTo(Target.MONOLITH);
        assertThat(tunnel.shadowCopy()).isFalse();
        assertThat(tunnel.tunnel()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"LIVE", "RETIRED"})
    void anUpgradeOnALaterStageIsTunnelledToTheService(Stage stage) {
        RequestFacts.Of upgrade = get().withHeader("upgrade", "websocket").withHeader("connection", "Upgrade");

        Decision decision = decider.decide(posts(stage), upgrade);

        assertThat(decision.target()).isEqualTo(Target.SERVICE);
        assertThat(decision.tunnel()).isTrue();
    }

    @Test
    void anUpgradeHeaderThatConnectionDoesNotNameIsNoUpgrade() {
        Decision decision = decider.decide(posts(Stage.LIVE), get().withHeader("upgrade", "websocket"));

        assertThat(decision.tunnel()).isFalse();
    }

    @Test
    void anUpgradeWithABodyIsNoTunnelAndAnEmptyOneStillIs() {
        RequestFacts.Of upgrade = get().withHeader("upgrade", "websocket").withHeader("connection", "Upgrade");

        assertThat(decider.decide(posts(Stage.LIVE), upgrade.withMethod("POST").withHeader("content-length", "7")).tunnel()).isFalse();
        assertThat(decider.decide(posts(Stage.LIVE), upgrade.withMethod("POST").withHeader("transfer-encoding", "chunked")).tunnel()).isFalse();
        assertThat(decider.decide(posts(Stage.SHADOW), upgrade.withMethod("POST").withHeader("content-length", "7")).shadowCopy())
                .as("a plain request again, copied as one").isTrue();
        assertThat(decider.decide(posts(Stage.LIVE), upgrade.withHeader("content-length", "0")).tunnel()).isTrue();
    }

    /** RFC 9112 §6.3: a length of zero in any number of digits announces no body, so the handshake is still a tunnel. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "00", "000", " 00 ", "000000000000000000"})
    void anUpgradeWhoseLengthIsZeroInAnyNumberOfDigitsIsATunnelOnEveryStage(String zero) {
        RequestFacts.Of upgrade = get().withHeader("upgrade", "websocket").withHeader("connection", "Upgrade")
                .withHeader("content-length", zero);

        for (Stage stage : Stage.values()) {
            Decision decision = decider.decide(posts(stage), upgrade);
            assertThat(decision.tunnel()).as("%s, Content-Length: %s", stage, zero).isTrue();
            assertThat(decision.shadowCopy()).as("%s: an upgrade is never copied", stage).isFalse();
        }
        assertThat(decider.decide(RouteTable.of(List.of()), upgrade).tunnel()).as("unrouted").isTrue();
    }

    @Test
    void anUnroutedUpgradeIsTunnelledToTheMonolith() {
        RouteTable table = RouteTable.of(List.of(posts(Stage.RETIRED)));
        RequestFacts.Of upgrade = RequestFacts.Of.get("/chat").withHeader("upgrade", "websocket").withHeader("connection", "upgrade");

        Decision decision = decider.decide(table, upgrade);

        assertThat(decision.target()).isEqualTo(Target.MONOLITH);
        assertThat(decision.tunnel()).isTrue();
        assertThat(decision.route()).isEmpty();
    }

    @Test
    void aCanaryCopiesTheMonolithsUsersOnlyWhenAskedTo() {
        Route route = posts(Stage.MONOLITH).withCanary(0, USER_HEADER);
        Route copying = route.withShadow(new ShadowSettings(false, 1024, 4, List.of(), false, true));

        assertThat(decider.decide(route, get()).shadowCopy()).isFalse();
        assertThat(decider.decide(copying, get()).shadowCopy()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    void aLiveRouteLetsSafeRequestsFallBackByDefault(String method) {
        Decision decision = decider.decide(posts(Stage.LIVE), get().withMethod(method));

        assertThat(decision.target()).isEqualTo(Target.SERVICE);
        assertThat(decision.fallbackToMonolith()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void aLiveRouteDoesNotReplayUnsafeRequestsByDefault(String method) {
        Decision decision = decider.decide(posts(Stage.LIVE), get().withMethod(method));

        assertThat(decision.target()).isEqualTo(Target.SERVICE);
        assertThat(decision.fallbackToMonolith()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE"})
    void aLiveRouteWithFallbackAllLetsEveryMethodFallBack(String method) {
        Decision decision = decider.decide(posts(Stage.LIVE).withFallback(FallbackPolicy.ALL), get().withMethod(method));

        assertThat(decision.fallbackToMonolith()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(FallbackPolicy.class)
    void aRetiredRouteNeverFallsBack(FallbackPolicy policy) {
        for (String method : List.of("GET", "HEAD", "POST")) {
            Decision decision = decider.decide(posts(Stage.RETIRED).withFallback(policy), get().withMethod(method));

            assertThat(decision.target()).isEqualTo(Target.SERVICE);
            assertThat(decision.fallbackToMonolith()).isFalse();
        }
    }

    @Test
    void aDecisionCannotFallBackWhenTheMonolithAlreadyAnswers() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Decision(Optional.empty(), Target.MONOLITH, true))
                .withMessageContaining("fallback");
    }

    @Test
    void aRouteKeepingTheLegacyStickyHashPlacesEachUserByTheLegacyBucket() {
        Route route = posts(Stage.MONOLITH).withCanary(30, USER_HEADER).withStickyHash(BucketFunction.LEGACY);
        Decider sticky = new Decider(NO_DRAWS);

        int differFromNginx = 0;
        for (int user = 0; user < 2000; user++) {
            String id = "user-" + user;
            boolean legacy = StickyHash.legacyBucket("posts", id) < 3000;
            if (legacy != StickyHash.bucket("posts", id) < 3000) differFromNginx++;
            Target expected = legacy ? Target.SERVICE : Target.MONOLITH;
            assertThat(sticky.decide(route, get().withHeader("X-User-Id", id)).target()).as(id).isEqualTo(expected);
        }
        assertThat(differFromNginx).as("users the two functions place differently: the test tells them apart").isGreaterThan(100);
    }

    @Test
    void aHeaderKeyedUserIsPlacedByTheHashOfTheServiceAndTheValueWithoutDrawing() {
        Route route = posts(Stage.MONOLITH).withCanary(30, USER_HEADER);
        Decider sticky = new Decider(NO_DRAWS);

        for (int user = 0; user < 2000; user++) {
            String id = "user-" + user;
            Target expected = StickyHash.bucket("posts", id) < 3000 ? Target.SERVICE : Target.MONOLITH;
            assertThat(sticky.decide(route, get().withHeader("X-User-Id", id)).target()).as(id).isEqualTo(expected);
        }
    }

    @Test
    void theCanaryEdgeIsExactToABasisPoint() {
        String onTheEdge = keyInBucket("posts", 999);
        Decider sticky = new Decider(NO_DRAWS);
        RequestFacts request = get().withHeader("x-user-id", onTheEdge);

        assertThat(sticky.decide(posts(Stage.MONOLITH).withCanary(9.99, USER_HEADER), request).target()).isEqualTo(Target.MONOLITH);
        assertThat(sticky.decide(posts(Stage.MONOLITH).withCanary(10, USER_HEADER), request).target()).isEqualTo(Target.SERVICE);
    }

    @Test
    void aCookieKeyedUserIsStickyWhateverTheOtherCookiesAndAddress() {
        Route route = posts(Stage.MONOLITH).withCanary(50, new StickyKey.Cookie("sid"));
        Decider sticky = new Decider(NO_DRAWS);

        for (int user = 0; user < 500; user++) {
            String sid = "s" + user;
            Target expected = StickyHash.bucket("posts", sid) < 5000 ? Target.SERVICE : Target.MONOLITH;
            assertThat(sticky.decide(route, get().withHeader("cookie", "sid=" + sid).withClientAddress("10.0.0.1")).target())
                    .isEqualTo(expected);
            assertThat(sticky.decide(route, get().withHeader("cookie", "theme=dark; sid=\"" + sid + "\"").withClientAddress("10.9.9.9")).target())
                    .isEqualTo(expected);
        }
    }

    @Test
    void aClientAddressKeyedUserIsStickyWhateverTheHeaders() {
        Route route = posts(Stage.MONOLITH).withCanary(50, StickyKey.DEFAULT);
        Decider sticky = new Decider(NO_DRAWS);

        for (int host = 0; host < 500; host++) {
            String address = "192.168.1." + host;
            Target expected = StickyHash.bucket("posts", address) < 5000 ? Target.SERVICE : Target.MONOLITH;
            assertThat(sticky.decide(route, get().withClientAddress(address)).target()).isEqualTo(expected);
            assertThat(sticky.decide(route, get().withClientAddress(address).withHeader("x-user-id", "u" + host)).target())
                    .isEqualTo(expected);
        }
    }

    @Test
    void aRequestWithoutItsStickyKeyIsDrawnAtRandom() {
        AtomicInteger draws = new AtomicInteger();
        Random seeded = new Random(1);
        Decider drawing = new Decider((RandomGenerator) () -> {
            draws.incrementAndGet();
            return seeded.nextLong();
        });
        Route byHeader = posts(Stage.MONOLITH).withCanary(50, USER_HEADER);
        Route byCookie = posts(Stage.MONOLITH).withCanary(50, new StickyKey.Cookie("sid"));
        List<Map.Entry<Route, RequestFacts>> keyless = List.of(
                Map.entry(byHeader, get()),
                Map.entry(byHeader, get().withHeader("x-user-id", "")),
                Map.entry(byCookie, get()),
                Map.entry(byCookie, get().withHeader("cookie", "theme=dark")),
                Map.entry(byCookie, get().withHeader("cookie", "sid=")));

        for (Map.Entry<Route, RequestFacts> c : keyless) {
            int before = draws.get();
            drawing.decide(c.getKey(), c.getValue());
            assertThat(draws.get()).as("draws for %s", c.getValue()).isGreaterThan(before);
        }
    }

    @Test
    void keylessRequestsStillMakeUpThePercentOfTheCanary() {
        Decider drawing = new Decider(new Random(20240501L));
        for (double percent : new double[] {1, 5, 10, 25, 50, 75, 90, 99}) {
            Route route = posts(Stage.MONOLITH).withCanary(percent, USER_HEADER);
            int onService = 0;
            for (int i = 0; i < 10_000; i++) {
                if (drawing.decide(route, get()).target() == Target.SERVICE) onService++;
            }
            assertThat(onService / 100.0).as("service share at %s%%", percent).isCloseTo(percent, offset(2.0));
        }
    }

    @Test
    void routesOfOneServiceKeepAUserOnOneSide() {
        Route read = Route.of("posts-read", RouteMatch.path("/api/posts/**").withMethods("GET"), "posts").withCanary(40, USER_HEADER);
        Route feed = Route.of("feed", RouteMatch.path("/api/feed"), "posts").withCanary(40, USER_HEADER);
        Decider sticky = new Decider(NO_DRAWS);

        for (int user = 0; user < 1000; user++) {
            String id = "user-" + user;
            assertThat(sticky.decide(feed, RequestFacts.Of.get("/api/feed").withHeader("x-user-id", id)).target())
                    .isEqualTo(sticky.decide(read, get().withHeader("x-user-id", id)).target());
        }
    }

    @Test
    void differentServicesDrawDifferentUsers() {
        Route posts = Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withCanary(50, USER_HEADER);
        Route users = Route.of("users", RouteMatch.path("/api/users/**"), "users").withCanary(50, USER_HEADER);
        Decider sticky = new Decider(NO_DRAWS);

        int onBoth = 0;
        for (int user = 0; user < 10_000; user++) {
            RequestFacts.Of request = get().withHeader("x-user-id", "user-" + user);
            if (sticky.decide(posts, request).target() == Target.SERVICE && sticky.decide(users, request).target() == Target.SERVICE)
                onBoth++;
        }
        // Independent draws put a quarter of the users on both canaries; the same draw would put half.
        assertThat(onBoth / 100.0).isCloseTo(25.0, offset(2.0));
    }

    private static String keyInBucket(String salt, int bucket) {
        for (int i = 0; ; i++) {
            String key = "user-" + i;
            if (StickyHash.bucket(salt, key) == bucket) return key;
        }
    }
}
