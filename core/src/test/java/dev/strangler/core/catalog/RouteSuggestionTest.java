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
}
