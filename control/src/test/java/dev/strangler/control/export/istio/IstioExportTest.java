package dev.strangler.control.export.istio;

import dev.strangler.control.export.Export;
import dev.strangler.control.export.ExportFormat;
import dev.strangler.control.export.istio.IstioModel.DestinationRule;
import dev.strangler.control.export.istio.IstioModel.HttpRoute;
import dev.strangler.control.export.istio.IstioModel.MatchRequest;
import dev.strangler.control.export.istio.IstioModel.Resource;
import dev.strangler.control.export.istio.IstioModel.RouteDestination;
import dev.strangler.control.export.istio.IstioModel.StringMatch;
import dev.strangler.control.export.istio.IstioModel.VirtualService;
import dev.strangler.core.plan.Position;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.FallbackPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static dev.strangler.control.export.ExportFixtures.assertMatchesGolden;
import static dev.strangler.control.export.ExportFixtures.config;
import static dev.strangler.control.export.ExportFixtures.posts;
import static dev.strangler.control.export.ExportFixtures.users;
import static dev.strangler.control.export.ExportFixtures.versioned;
import static org.assertj.core.api.Assertions.assertThat;

/** The Istio export: a golden file, and every stage read back into the model. */
class IstioExportTest {
    private static final Path GOLDEN = Path.of("src/test/resources/export/istio.yaml");

    private static Route admin() {
        return Route.of("admin", RouteMatch.path("/admin/**").withHost("admin.example.com"), "posts")
                .at(Position.LIVE).withRewrite("/**");
    }

    @Test
    void theExportMatchesTheGoldenFile() throws Exception {
        String rendered = Export.of(ExportFormat.ISTIO, config(posts(), users(), admin(), versioned()), Map.of()).text();
        assertMatchesGolden(GOLDEN, rendered);
    }

    @ParameterizedTest
    @MethodSource("dev.strangler.control.export.ExportFixtures#positions")
    void eachStageRoundTripsThroughTheModel(Position at) {
        Route route = posts().at(at);
        List<Resource> parsed = IstioManifests.parse(IstioManifests.render(config(route), Export.GATEWAY));
        assertThat(parsed).isEqualTo(IstioManifests.objects(config(route), Export.GATEWAY));

        VirtualService vs = (VirtualService) parsed.getFirst();
        assertThat(vs.spec().hosts()).containsExactly("*");
        assertThat(vs.spec().gateways()).containsExactly("strangler");
        assertThat(vs.spec().http()).extracting(HttpRoute::name).containsExactly("posts-read", IstioManifests.DEFAULT_ENTRY);
        HttpRoute http = vs.spec().http().getFirst();

        assertThat(http.match()).extracting(m -> m.method().exact() + " " + uri(m.uri()))
                .containsExactly("GET exact /api/posts", "GET prefix /api/posts/", "HEAD exact /api/posts", "HEAD prefix /api/posts/");

        Map<String, Integer> weights = new TreeMap<>();
        for (RouteDestination d : http.route()) weights.put(d.destination().host(), d.weight());
        switch (at.stage()) {
            case MONOLITH, SHADOW -> assertThat(weights).isEqualTo(Collections.only("strangler-monolith"));
            case CANARY -> {
                int service = (int) Math.round(at.percent() + 0.0001);
                assertThat(weights).isEqualTo(Map.of("strangler-monolith", 100 - service, "strangler-svc-posts", service));
            }
            case LIVE, RETIRED -> assertThat(weights).isEqualTo(Collections.only("strangler-svc-posts"));
        }
        assertThat(http.route()).allSatisfy(d -> assertThat(d.destination().port().number())
                .isEqualTo(d.destination().host().equals("strangler-monolith") ? 8081 : 8082));

        if (at.equals(Position.SHADOW)) {
            assertThat(http.mirror().host()).isEqualTo("strangler-svc-posts");
            assertThat(http.mirrorPercentage().value()).isEqualTo(100.0);
        } else {
            assertThat(http.mirror()).isNull();
            assertThat(http.mirrorPercentage()).isNull();
        }
        boolean servedByServiceAlone = at.equals(Position.LIVE) || at.equals(Position.RETIRED);
        assertThat(http.rewrite() == null ? null : http.rewrite().uri()).isEqualTo(servedByServiceAlone ? "/posts/" : null);
        if (at.equals(Position.LIVE)) {
            assertThat(http.retries().attempts()).isEqualTo(1);
            assertThat(http.retries().retryOn()).isEqualTo("connect-failure,refused-stream");
        } else assertThat(http.retries()).isNull();

        List<DestinationRule> rules = parsed.stream().filter(r -> r instanceof DestinationRule).map(r -> (DestinationRule) r).toList();
        if (at.stage() == dev.strangler.core.stage.Stage.CANARY)
            assertThat(rules).singleElement().satisfies(r -> {
                assertThat(r.spec().host()).isEqualTo("strangler-svc-posts");
                assertThat(r.spec().trafficPolicy().loadBalancer().consistentHash().httpHeaderName()).isEqualTo("x-user-id");
            });
        else assertThat(rules).isEmpty();
        assertThat(vs.metadata().annotations()).containsEntry("strangler.dev/route.posts-read", at.toString());

        HttpRoute rest = vs.spec().http().getLast();
        assertThat(rest.match()).isEmpty();
        assertThat(rest.route()).extracting(d -> d.destination().host()).containsExactly("strangler-monolith");

        // a client's own shadow mark reaches no backend, whichever entry takes the request (the mirror's copy included)
        assertThat(vs.spec().http()).allSatisfy(entry ->
                assertThat(entry.headers().request().remove()).containsExactly("X-Strangler-Shadow"));
    }

    @Test
    void canaryWeightsAreIntegersSummingToAHundredThatNeverEmptyASideThePercentLeavesOpen() {
        assertThat(IstioManifests.serviceWeight(0)).isZero();
        assertThat(IstioManifests.serviceWeight(0.01)).isEqualTo(1);
        assertThat(IstioManifests.serviceWeight(1)).isEqualTo(1);
        assertThat(IstioManifests.serviceWeight(12.5)).isEqualTo(13);
        assertThat(IstioManifests.serviceWeight(12.49)).isEqualTo(12);
        assertThat(IstioManifests.serviceWeight(99.9)).isEqualTo(99);
        assertThat(IstioManifests.serviceWeight(100)).isEqualTo(100);
        for (double p = 0; p <= 100; p += 0.25) {
            HttpRoute http = IstioManifests.httpRoute(posts().at(Position.canary(p)), config(posts()));
            assertThat(http.route().stream().mapToInt(RouteDestination::weight).sum()).as("at %s%%", p).isEqualTo(100);
        }
    }

    @Test
    void aRouteWithPathParametersAndHeadersIsMatchedByRegexAndHeaderAndSaysWhatIsNotExpressed() {
        Route route = users().withRewrite("/users/{id}").at(Position.LIVE);
        String rendered = IstioManifests.render(config(route), Export.GATEWAY);
        HttpRoute http = ((VirtualService) IstioManifests.parse(rendered).getFirst()).spec().http().getFirst();

        assertThat(http.match()).singleElement().satisfies(m -> {
            assertThat(m.uri().regex()).isEqualTo("^/api/users/[^/]+$");
            assertThat(m.method()).isNull();
            assertThat(m.headers()).isEqualTo(Map.of("x-tenant", StringMatch.exact("acme")));
        });
        assertThat(http.rewrite()).isNull();
        assertThat(rendered).contains("# NOT EXPRESSED: rewrite /users/{id}")
                .contains("# NOT EXPRESSED: fallback to the monolith (safe)")
                .contains("no sticky split between two services")
                .contains("X-Strangler-Shadow: Envoy appends \"-shadow\" to its Host instead");
    }

    @Test
    void aDotInThePathIsMatchedLiterallyNotAsAnyCharacter() {
        String rendered = IstioManifests.render(config(versioned()), Export.GATEWAY);
        HttpRoute http = ((VirtualService) IstioManifests.parse(rendered).getFirst()).spec().http().getFirst();

        String regex = http.match().getFirst().uri().regex();
        assertThat(regex).isEqualTo("^/api/v1\\.0/orders/[^/]+$");
        assertThat(Pattern.matches(regex, "/api/v1.0/orders/7")).isTrue();
        assertThat(Pattern.matches(regex, "/api/v1x0/orders/7")).as("a path that differs where the route has a dot").isFalse();
    }

    @Test
    void routesOfOneHostShareAVirtualServiceInTheConfigsOrderAndEachHostAlsoListsTheRoutesWithoutAHost() {
        List<Resource> parsed = IstioManifests.parse(IstioManifests.render(config(posts(), admin(), users()), Export.GATEWAY));
        List<VirtualService> services = parsed.stream().filter(r -> r instanceof VirtualService).map(r -> (VirtualService) r).toList();

        assertThat(services).extracting(v -> v.metadata().name()).containsExactly("strangler-any-host", "strangler-admin-example-com");
        assertThat(services.get(0).spec().http()).extracting(HttpRoute::name)
                .containsExactly("posts-read", "users", IstioManifests.DEFAULT_ENTRY);
        assertThat(services.get(1).spec().hosts()).containsExactly("admin.example.com");
        assertThat(services.get(1).spec().http()).as("a route without a host claims admin.example.com too")
                .extracting(HttpRoute::name).containsExactly("admin", "posts-read", "users", IstioManifests.DEFAULT_ENTRY);
        HttpRoute admin = services.get(1).spec().http().getFirst();
        assertThat(admin.match()).extracting(MatchRequest::uri)
                .containsExactly(StringMatch.exact("/admin"), StringMatch.prefix("/admin/"));
        assertThat(admin.rewrite().uri()).isEqualTo("/");
    }

    @Test
    void aLiveRouteWithoutFallbackIsNotRetried() {
        HttpRoute http = IstioManifests.httpRoute(posts().at(Position.LIVE).withFallback(FallbackPolicy.NONE), config(posts()));
        assertThat(http.retries().attempts()).isZero();
    }

    private static String uri(StringMatch m) {
        return m.exact() != null ? "exact " + m.exact() : m.prefix() != null ? "prefix " + m.prefix() : "regex " + m.regex();
    }

    private static final class Collections {
        static Map<String, Integer> only(String host) {
            Map<String, Integer> m = new TreeMap<>();
            m.put(host, null);
            return m;
        }
    }
}
