package dev.strangler.control.export;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Position;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.StickyKey;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The config, routes and golden-file check the Kubernetes export tests (Gateway API, Istio, fleet) share. */
public final class ExportFixtures {
    private ExportFixtures() {}

    /** A monolith and one {@code posts} service, with the given routes. */
    public static GatewayConfig config(Route... routes) {
        return GatewayConfig.of(Backend.of("monolith", URI.create("http://monolith.internal:8081")),
                Map.of("posts", Backend.of("posts", URI.create("http://posts.internal:8082"))), List.of(routes));
    }

    /** A prefix route with a method, a sticky canary and a prefix rewrite. */
    public static Route posts() {
        return Route.of("posts-read", RouteMatch.path("/api/posts/**").withMethods("GET"), "posts")
                .withCanary(12.5, new StickyKey.Header("X-User-Id")).withRewrite("/posts/**");
    }

    /** A parameterised route with a header condition, shadowed. */
    public static Route users() {
        return Route.of("users", RouteMatch.path("/api/users/{id}").withHeader("X-Tenant", "acme"), "posts").at(Position.SHADOW);
    }

    /** A live route whose path has a literal dot and a parameter, so its match is a regex that must escape the dot. */
    public static Route versioned() {
        return Route.of("orders-v1", RouteMatch.path("/api/v1.0/orders/{id}"), "posts").at(Position.LIVE);
    }

    /** Every stage, with canaries at the edges and in between. */
    public static Stream<Position> positions() {
        return Stream.of(Position.MONOLITH, Position.SHADOW, Position.canary(1), Position.canary(12.5), Position.canary(50),
                Position.LIVE, Position.RETIRED);
    }

    /** Asserts {@code rendered} equals the golden file; with {@code -Dstrangler.golden.update=true} rewrites it first. */
    public static void assertMatchesGolden(Path golden, String rendered) throws IOException {
        if (Boolean.getBoolean("strangler.golden.update")) Files.writeString(golden, rendered);
        assertThat(rendered).isEqualTo(Files.readString(golden));
    }
}
