package dev.strangler.core.catalog;

import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.RequestFacts;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteTable;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.strangler.core.catalog.RecordedSample.summary;
import static org.assertj.core.api.Assertions.assertThat;

class RouteSuggestionTest {
    private static final String MINIMAL = "monolith: {url: http://127.0.0.1:1}\nservices: {%s: {url: http://127.0.0.1:2}}\n";

    private static final List<EndpointSummary> CATALOG = List.of(
            summary("GET", "/api/posts", 1200, 0, 10),
            summary("GET", "/api/posts/{postId}", 3400, 2, 10),
            summary("POST", "/api/posts", 80, 0, 10),
            summary("DELETE", "/api/posts/{postId}", 5, 0, 10),
            summary("GET", "/api/postscripts", 7, 0, 10),
            summary("GET", "/api/users/{userId}", 9000, 0, 10));

    @Test
    void suggestsAReadRouteInShadowAndAWriteRouteThatStaysWithTheMonolith() {
        RouteSuggestion s = RouteSuggestion.of("/api/posts", CATALOG);
        assertThat(s.service()).isEqualTo("posts");
        assertThat(s.yaml()).isEqualTo("""
                # Routes for /api/posts: 4 endpoint(s) seen
                #   GET     /api/posts  (1,200 requests)
                #   POST    /api/posts  (80 requests)
                #   DELETE  /api/posts/{postId}  (5 requests)
                #   GET     /api/posts/{postId}  (3,400 requests)
                # Point 'service' at the new service (declared under services:).
                routes:
                  - name: posts-read
                    match: { methods: [GET, HEAD], path: /api/posts/** }
                    service: posts
                    stage: shadow
                  # Writes stay with the monolith; move them once posts-read is live.
                  - name: posts-write
                    match: { methods: [DELETE, POST], path: /api/posts/** }
                    service: posts
                    stage: monolith
                """);
    }

    @Test
    void theSuggestedBlockLoadsWithTheConfigLoaderAndRoutesAsIntended() throws Exception {
        RouteSuggestion s = RouteSuggestion.of("/api/posts", CATALOG);
        GatewayConfig config = ConfigLoader.parse(MINIMAL.formatted(s.service()) + s.yaml(), Path.of("strangler.yaml"), Map.of());
        RouteTable table = RouteTable.of(config.routes());
        Route read = table.match(RequestFacts.Of.get("/api/posts/7")).orElseThrow();
        assertThat(read.name()).isEqualTo("posts-read");
        assertThat(read.stage()).isEqualTo(Stage.SHADOW);
        Route write = table.match(RequestFacts.Of.get("/api/posts").withMethod("POST")).orElseThrow();
        assertThat(write.name()).isEqualTo("posts-write");
        assertThat(write.stage()).isEqualTo(Stage.MONOLITH);
        assertThat(table.match(RequestFacts.Of.get("/api/users/1"))).isEmpty();
    }

    @Test
    void aReadOnlyGroupGetsOneRoute() throws Exception {
        RouteSuggestion s = RouteSuggestion.of("/api/v2/Blog_Posts/", List.of(summary("GET", "/api/v2/Blog_Posts/{id}", 3, 0, 1)));
        assertThat(s.service()).isEqualTo("blog-posts");
        assertThat(s.yaml()).contains("name: blog-posts-read", "path: /api/v2/Blog_Posts/**").doesNotContain("-write");
        GatewayConfig config = ConfigLoader.parse(MINIMAL.formatted(s.service()) + s.yaml(), Path.of("strangler.yaml"), Map.of());
        assertThat(config.routes()).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("blog-posts-read"));
    }

    private static List<String> loadErrors(String yaml) {
        try {
            ConfigLoader.parse(yaml, Path.of("strangler.yaml"), Map.of());
            return List.of();
        } catch (dev.strangler.core.config.ConfigException e) {
            return e.errors().stream().map(Object::toString).toList();
        }
    }

    private static final String IN_FORCE = """
            routes:
              - name: posts-read
                match: { methods: [GET], path: /api/posts/** }
                service: posts
                stage: shadow
            """;

    @Test
    void endpointsARouteInForceClaimsAreLeftOutAndTheNameIsNotReused() throws Exception {
        GatewayConfig current = ConfigLoader.parse(MINIMAL.formatted("posts") + IN_FORCE, Path.of("strangler.yaml"), Map.of());
        RouteSuggestion s = RouteSuggestion.of("/api/posts", CATALOG, current.routes());
        assertThat(s.reads()).isEmpty();
        assertThat(s.claimed()).containsOnlyKeys(new EndpointKey("GET", "/api/posts"), new EndpointKey("GET", "/api/posts/{postId}"));
        assertThat(s.routes()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("posts-write");
            assertThat(r.match().methods()).containsExactlyInAnyOrder("DELETE", "POST");
        });
        assertThat(s.yaml()).contains("# Already claimed by route posts-read: GET /api/posts, GET /api/posts/{postId}");
        // pasted under the routes in force, the block loads: no tie, no repeated name
        String pasted = MINIMAL.formatted("posts") + IN_FORCE + s.yaml().substring(s.yaml().indexOf("routes:\n") + "routes:\n".length());
        assertThat(loadErrors(pasted)).isEmpty();
    }

    @Test
    void aSuggestedRouteThatWouldTieWithARouteInForceIsNarrowedOrLeftOut() {
        List<dev.strangler.core.routing.Route> inForce = List.of(
                dev.strangler.core.routing.Route.of("legacy-reads", dev.strangler.core.routing.RouteMatch.path("/api/posts/**")
                        .withMethods("GET").withHeader("X-Beta", "1"), "posts"),
                dev.strangler.core.routing.Route.of("posts-write", dev.strangler.core.routing.RouteMatch.path("/api/posts/**")
                        .withMethods("POST").withHost("admin.example.com"), "posts"));
        // the routes in force take only some requests (a header, a host), so the catalog counts them as claimed;
        // an OPTIONS endpoint stays unclaimed and its read route would tie with legacy-reads on GET/HEAD
        List<EndpointSummary> catalog = List.of(summary("OPTIONS", "/api/posts", 3, 0, 1), summary("GET", "/api/posts", 3, 0, 1));
        List<dev.strangler.core.routing.Route> noConditions = List.of(
                dev.strangler.core.routing.Route.of("legacy-reads", dev.strangler.core.routing.RouteMatch.path("/api/posts/**")
                        .withMethods("GET"), "posts"));
        RouteSuggestion s = RouteSuggestion.of("/api/posts", catalog, noConditions);
        assertThat(s.routes()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("posts-read");
            assertThat(r.match().methods()).containsExactly("OPTIONS");
        });
        assertThat(s.notes()).singleElement().asString()
                .isEqualTo("posts-read takes only OPTIONS: route 'legacy-reads' already takes GET, HEAD on /api/posts/**");
        List<dev.strangler.core.routing.Route> all = new java.util.ArrayList<>(noConditions);
        all.addAll(s.routes());
        assertThat(RouteTable.conflicts(all)).isEmpty();

        RouteSuggestion none = RouteSuggestion.of("/api/posts", List.of(summary("GET", "/api/posts", 3, 0, 1)), inForce);
        assertThat(none.routes()).isEmpty();
        assertThat(none.yaml()).contains("# Nothing to add: the routes in force already take every endpoint of /api/posts.")
                .doesNotContain("routes:");
    }

    @Test
    void aVersionedResourceGetsARoutePerPathPrefixThatLoads() throws Exception {
        List<EndpointSummary> catalog = List.of(summary("GET", "/api/orders", 5, 0, 1), summary("GET", "/api/v2/orders/{id}", 5, 0, 1),
                summary("POST", "/api/v2/orders", 5, 0, 1), summary("GET", "/api/users", 5, 0, 1));
        RouteSuggestion s = RouteSuggestion.of("/api/orders", catalog);
        assertThat(s.routes()).extracting(r -> r.name() + " " + r.match().path())
                .containsExactly("orders-read /api/orders/**", "orders-v2-read /api/v2/orders/**", "orders-v2-write /api/v2/orders/**");
        assertThat(s.yaml()).contains("# Writes stay with the monolith; move them once orders-v2-read is live.");
        GatewayConfig config = ConfigLoader.parse(MINIMAL.formatted(s.service()) + s.yaml(), Path.of("strangler.yaml"), Map.of());
        RouteTable table = RouteTable.of(config.routes());
        assertThat(table.match(RequestFacts.Of.get("/api/v2/orders/7")).map(Route::name)).contains("orders-v2-read");
        assertThat(table.match(RequestFacts.Of.get("/api/users"))).isEmpty();
    }
}
