package dev.strangler.core.routing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTest {

    private static Route route(String name, String pattern) {
        return route(name, pattern, m -> m);
    }

    private static Route route(String name, String pattern, UnaryOperator<RouteMatch> conditions) {
        return Route.of(name, conditions.apply(RouteMatch.path(pattern)), "svc");
    }

    private static Optional<String> winner(RouteTable table, RequestFacts request) {
        return table.match(request).map(Route::name);
    }

    private static Optional<String> winner(RouteTable table, String path) {
        return winner(table, RequestFacts.Of.get(path));
    }

    @Test
    void aLiteralBeatsAParameterWhichBeatsACatchAll() {
        RouteTable table = RouteTable.of(List.of(
                route("catch-all", "/api/**"),
                route("param", "/api/{id}"),
                route("literal", "/api/posts")));

        assertThat(winner(table, "/api/posts")).hasValue("literal");
        assertThat(winner(table, "/api/users")).hasValue("param");
        assertThat(winner(table, "/api/users/7")).hasValue("catch-all");
        assertThat(winner(table, "/api")).hasValue("catch-all");
    }

    @Test
    void fileOrderDoesNotChangeTheWinner() {
        RouteTable table = RouteTable.of(List.of(
                route("literal", "/api/posts"),
                route("param", "/api/{id}"),
                route("catch-all", "/api/**")));

        assertThat(winner(table, "/api/posts")).hasValue("literal");
        assertThat(winner(table, "/api/users")).hasValue("param");
        assertThat(winner(table, "/api/users/7")).hasValue("catch-all");
    }

    @Test
    void mostSpecificRouteWinsOverCatchAll() {
        RouteTable table = RouteTable.of(List.of(route("everything", "/**"), route("users", "/api/users/{id}")));

        assertThat(winner(table, "/api/users/42")).hasValue("users");
        assertThat(winner(table, "/api/users/42/avatar")).hasValue("everything");
        assertThat(winner(table, "/")).hasValue("everything");
    }

    @Test
    void theLongerLiteralPrefixWins() {
        RouteTable table = RouteTable.of(List.of(
                route("api", "/api/**"),
                route("posts", "/api/posts/**"),
                route("comments", "/api/posts/comments/**")));

        assertThat(winner(table, "/api/posts/7")).hasValue("posts");
        assertThat(winner(table, "/api/posts")).hasValue("posts");
        assertThat(winner(table, "/api/posts/comments/3")).hasValue("comments");
        assertThat(winner(table, "/api/users/1")).hasValue("api");
    }

    @Test
    void anExactPatternBeatsACatchAllEndingAtTheSameSegment() {
        RouteTable table = RouteTable.of(List.of(route("subtree", "/api/posts/**"), route("list", "/api/posts")));

        assertThat(winner(table, "/api/posts")).hasValue("list");
        assertThat(winner(table, "/api/posts/1")).hasValue("subtree");
    }

    @Test
    void specificityIsDecidedFromTheLeftmostSegment() {
        RouteTable table = RouteTable.of(List.of(route("any-tenant-orders", "/{tenant}/orders"), route("acme", "/acme/**")));

        assertThat(winner(table, "/acme/orders")).hasValue("acme");
        assertThat(winner(table, "/globex/orders")).hasValue("any-tenant-orders");
    }

    @Test
    void aLiteralDeadEndFallsBackToAParameterBranch() {
        RouteTable table = RouteTable.of(List.of(route("me-settings", "/users/me/settings"), route("user-posts", "/users/{id}/posts")));

        assertThat(winner(table, "/users/me/posts")).hasValue("user-posts");
        assertThat(winner(table, "/users/me/settings")).hasValue("me-settings");
    }

    @Test
    void aDeeperRouteWhoseConditionsFailGivesWayToAShallowerCatchAll() {
        RouteTable table = RouteTable.of(List.of(
                route("api", "/api/**"),
                route("post-writes", "/api/posts/{id}", m -> m.withMethods("PUT"))));

        assertThat(winner(table, RequestFacts.Of.get("/api/posts/1").withMethod("PUT"))).hasValue("post-writes");
        assertThat(winner(table, RequestFacts.Of.get("/api/posts/1"))).hasValue("api");
    }

    @Test
    void aRouteWithAMethodListWinsOverAllMethodsOnTheSamePath() {
        RouteTable table = RouteTable.of(List.of(
                route("posts-any", "/api/posts/**"),
                route("posts-read", "/api/posts/**", m -> m.withMethods("GET", "HEAD"))));

        assertThat(winner(table, RequestFacts.Of.get("/api/posts/1"))).hasValue("posts-read");
        assertThat(winner(table, RequestFacts.Of.get("/api/posts/1").withMethod("HEAD"))).hasValue("posts-read");
        assertThat(winner(table, RequestFacts.Of.get("/api/posts/1").withMethod("POST"))).hasValue("posts-any");
    }

    @Test
    void methodConditionsIgnoreCaseInTheConfig() {
        RouteTable table = RouteTable.of(List.of(route("read", "/api/**", m -> m.withMethods("get"))));

        assertThat(winner(table, RequestFacts.Of.get("/api/x"))).hasValue("read");
        assertThat(winner(table, RequestFacts.Of.get("/api/x").withMethod("POST"))).isEmpty();
    }

    @Test
    void aRouteWithAHostWinsOverOneWithoutAndIgnoresCase() {
        RouteTable table = RouteTable.of(List.of(
                route("any-host", "/api/**"),
                route("eu", "/api/**", m -> m.withHost("EU.Example.com"))));

        assertThat(winner(table, RequestFacts.Of.get("/api/x").withHost("eu.example.com"))).hasValue("eu");
        assertThat(winner(table, RequestFacts.Of.get("/api/x").withHost("us.example.com"))).hasValue("any-host");
        assertThat(winner(table, RequestFacts.Of.get("/api/x"))).hasValue("any-host");
    }

    @Test
    void aRouteWithAHeaderConditionWinsWhenTheHeaderHasTheValue() {
        RouteTable table = RouteTable.of(List.of(
                route("everyone", "/api/**"),
                route("beta", "/api/**", m -> m.withHeader("X-Beta", "1"))));

        assertThat(winner(table, RequestFacts.Of.get("/api/x").withHeader("X-Beta", "1"))).hasValue("beta");
        assertThat(winner(table, RequestFacts.Of.get("/api/x").withHeader("X-Beta", "0"))).hasValue("everyone");
        assertThat(winner(table, RequestFacts.Of.get("/api/x"))).hasValue("everyone");
    }

    @Test
    void moreHeaderConditionsWinOverFewer() {
        RouteTable table = RouteTable.of(List.of(
                route("tenant", "/api/**", m -> m.withHeader("x-tenant", "acme")),
                route("tenant-beta", "/api/**", m -> m.withHeader("x-tenant", "acme").withHeader("x-beta", "1"))));

        RequestFacts.Of acme = RequestFacts.Of.get("/api/x").withHeader("x-tenant", "acme");
        assertThat(winner(table, acme.withHeader("x-beta", "1"))).hasValue("tenant-beta");
        assertThat(winner(table, acme)).hasValue("tenant");
    }

    @Test
    void anUnmatchedRequestGoesToNoRoute() {
        RouteTable table = RouteTable.of(List.of(route("posts", "/api/posts/**"), route("user", "/api/users/{id}")));

        assertThat(table.match(RequestFacts.Of.get("/api/comments"))).isEmpty();
        assertThat(table.match(RequestFacts.Of.get("/api/users"))).isEmpty();
        assertThat(table.match(RequestFacts.Of.get("/api/users/1/posts"))).isEmpty();
        assertThat(table.match(RequestFacts.Of.get("/"))).isEmpty();
    }

    @Test
    void aRequestFailingEveryRoutesConditionsGoesToNoRoute() {
        RouteTable table = RouteTable.of(List.of(route("read", "/api/**", m -> m.withMethods("GET").withHost("api.example.com"))));

        assertThat(table.match(RequestFacts.Of.get("/api/x").withHost("other.example.com"))).isEmpty();
        assertThat(table.match(RequestFacts.Of.get("/api/x").withHost("api.example.com").withMethod("POST"))).isEmpty();
        assertThat(winner(table, RequestFacts.Of.get("/api/x").withHost("api.example.com"))).hasValue("read");
    }

    @Test
    void anEmptyTableMatchesNothing() {
        assertThat(RouteTable.empty().match(RequestFacts.Of.get("/api/posts"))).isEmpty();
        assertThat(RouteTable.empty().routes()).isEmpty();
    }

    @Test
    void routesAreKeptInFileOrderAndFoundByName() {
        Route b = route("b", "/b/**");
        Route a = route("a", "/a/**");
        RouteTable table = RouteTable.of(List.of(b, a));

        assertThat(table.routes()).containsExactly(b, a);
        assertThat(table.route("a")).containsSame(a);
        assertThat(table.route("missing")).isEmpty();
    }

    @Test
    void aThousandRoutesStillMatchTheRightOne() {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            routes.add(route("items-" + i, "/svc" + i + "/items/{id}"));
            routes.add(route("rest-" + i, "/svc" + i + "/**", m -> m.withMethods("GET")));
        }
        RouteTable table = RouteTable.of(routes);

        assertThat(RouteTable.conflicts(routes)).isEmpty();
        for (int i = 0; i < 1000; i++) {
            assertThat(winner(table, "/svc" + i + "/items/" + (i * 7))).hasValue("items-" + i);
            assertThat(winner(table, "/svc" + i + "/items/" + i + "/reviews")).hasValue("rest-" + i);
            assertThat(winner(table, RequestFacts.Of.get("/svc" + i + "/items").withMethod("POST"))).isEmpty();
        }
        assertThat(winner(table, "/svc1000/items/1")).isEmpty();
        assertThat(winner(table, "/svc/items/1")).isEmpty();
    }

    // --- conflicts ---

    @Test
    void twoRoutesOfTheSameShapeAndConditionsConflict() {
        List<Route> routes = List.of(
                route("posts", "/api/posts/**"),
                route("users-by-id", "/api/users/{id}", m -> m.withMethods("GET")),
                route("users-by-name", "/api/users/{name}", m -> m.withMethods("GET")));

        List<RouteConflict> conflicts = RouteTable.conflicts(routes);

        assertThat(conflicts).singleElement().satisfies(c -> {
            assertThat(c.firstIndex()).isEqualTo(1);
            assertThat(c.secondIndex()).isEqualTo(2);
            assertThat(c.message()).contains("'users-by-id'", "'users-by-name'", "/api/users/{}");
        });
    }

    @Test
    void identicalRoutesConflict() {
        assertThat(RouteTable.conflicts(List.of(route("a", "/api/**"), route("b", "/api/**")))).hasSize(1);
    }

    @Test
    void routesWithOverlappingMethodListsConflict() {
        List<Route> routes = List.of(
                route("read", "/api/**", m -> m.withMethods("GET")),
                route("read-write", "/api/**", m -> m.withMethods("GET", "POST")));

        assertThat(RouteTable.conflicts(routes)).hasSize(1);
    }

    @Test
    void routesWithTheSameHeaderRankOnDifferentHeadersConflict() {
        List<Route> routes = List.of(
                route("tenant", "/api/**", m -> m.withHeader("x-tenant", "acme")),
                route("beta", "/api/**", m -> m.withHeader("x-beta", "1")));

        assertThat(RouteTable.conflicts(routes)).hasSize(1);
    }

    @Test
    void routesThatDifferByMethodsDoNotConflict() {
        List<Route> routes = List.of(
                route("read", "/api/posts/{id}", m -> m.withMethods("GET", "HEAD")),
                route("write", "/api/posts/{id}", m -> m.withMethods("PUT", "DELETE")));

        assertThat(RouteTable.conflicts(routes)).isEmpty();
    }

    @Test
    void routesThatDifferByHostDoNotConflict() {
        List<Route> routes = List.of(
                route("eu", "/api/**", m -> m.withHost("eu.example.com")),
                route("us", "/api/**", m -> m.withHost("us.example.com")));

        assertThat(RouteTable.conflicts(routes)).isEmpty();
    }

    @Test
    void routesThatDifferByAHeaderValueDoNotConflict() {
        List<Route> routes = List.of(
                route("acme", "/api/**", m -> m.withHeader("x-tenant", "acme")),
                route("globex", "/api/**", m -> m.withHeader("x-tenant", "globex")));

        assertThat(RouteTable.conflicts(routes)).isEmpty();
    }

    @Test
    void routesOfDifferentRankOrShapeDoNotConflict() {
        List<Route> routes = List.of(
                route("all", "/api/**"),
                route("read", "/api/**", m -> m.withMethods("GET")),
                route("eu", "/api/**", m -> m.withHost("eu.example.com")),
                route("one", "/api/{id}"),
                route("list", "/api"));

        assertThat(RouteTable.conflicts(routes)).isEmpty();
    }

    @Test
    void everyConflictingPairIsReportedInFileOrder() {
        List<Route> routes = List.of(
                route("a", "/x/{p}"),
                route("other", "/y"),
                route("b", "/x/{q}"),
                route("c", "/x/*"));

        assertThat(RouteTable.conflicts(routes))
                .extracting(c -> c.firstIndex() + "-" + c.secondIndex())
                .containsExactly("0-2", "0-3", "2-3");
    }

    @Test
    void pathParametersThatMoveARequestToAnotherRouteAreToldApart() {
        RouteTable table = RouteTable.of(List.of(route("orders", "/api/orders/**"), route("order", "/api/orders/{id}/items")));

        for (String path : List.of("/api/orders;jsessionid=1/7", "/api;v=2/orders/7", "/api/orders;x", "/api/;x/orders/7",
                "/api/orders/7/items;x"))
            assertThat(table.routesAlikeWithoutParameters(RequestFacts.Of.get(path), table.match(RequestFacts.Of.get(path))))
                    .as(path).isFalse();
        for (String path : List.of("/api/orders/7;jsessionid=1", "/api/orders/7;x/items", "/other;x/7", "/api/orders/7", "/api/orders/a;b/c"))
            assertThat(table.routesAlikeWithoutParameters(RequestFacts.Of.get(path), table.match(RequestFacts.Of.get(path))))
                    .as(path).isTrue();
    }
}
