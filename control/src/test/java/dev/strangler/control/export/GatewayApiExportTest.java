package dev.strangler.control.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strangler.core.plan.Position;
import dev.strangler.core.routing.Route;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.strangler.control.export.ExportFixtures.assertMatchesGolden;
import static dev.strangler.control.export.ExportFixtures.config;
import static dev.strangler.control.export.ExportFixtures.posts;
import static dev.strangler.control.export.ExportFixtures.users;
import static dev.strangler.control.export.ExportFixtures.versioned;
import static org.assertj.core.api.Assertions.assertThat;

/** The Gateway API export: a golden file, and every stage read back into fabric8's typed model. */
class GatewayApiExportTest {
    private static final Path GOLDEN = Path.of("src/test/resources/export/gateway-api.yaml");

    @Test
    void theExportMatchesTheGoldenFile() throws Exception {
        String rendered = GatewayApiManifests.render(config(posts(), users(), versioned()), Export.GATEWAY);
        assertMatchesGolden(GOLDEN, rendered);
    }

    @ParameterizedTest
    @MethodSource("dev.strangler.control.export.ExportFixtures#positions")
    void eachStageRoundTripsThroughTheTypedModel(Position at) throws Exception {
        Route route = posts().at(at);
        List<JsonNode> docs = documents(GatewayApiManifests.render(config(route), Export.GATEWAY));
        List<HTTPRoute> routes = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        for (JsonNode d : docs) {
            if (d.get("kind").asText().equals("HTTPRoute")) routes.add(ManifestText.yaml().treeToValue(d, HTTPRoute.class));
            if (d.get("kind").asText().equals("Service")) services.add(ManifestText.yaml().treeToValue(d, Service.class));
        }
        assertThat(services).extracting(s -> s.getMetadata().getName()).containsExactly("strangler-monolith", "strangler-svc-posts");
        assertThat(routes).hasSize(1);
        HTTPRoute parsed = routes.getFirst();
        assertThat(parsed).isEqualTo(GatewayApiManifests.httpRoute(route, config(route), Export.GATEWAY));
        assertThat(parsed.getSpec().getParentRefs()).extracting(p -> p.getName()).containsExactly("strangler");
        HTTPRouteRule rule = parsed.getSpec().getRules().getFirst();

        assertThat(rule.getMatches()).allSatisfy(m -> {
            assertThat(m.getPath().getType()).isEqualTo("PathPrefix");
            assertThat(m.getPath().getValue()).isEqualTo("/api/posts");
        });
        assertThat(rule.getMatches()).extracting(m -> m.getMethod()).containsExactly("GET", "HEAD");

        Map<String, Integer> weights = new java.util.TreeMap<>();
        for (HTTPBackendRef ref : rule.getBackendRefs()) weights.put(ref.getName(), ref.getWeight());
        boolean mirrored = rule.getFilters().stream().anyMatch(f -> f.getType().equals("RequestMirror")
                && f.getRequestMirror().getBackendRef().getName().equals("strangler-svc-posts"));
        switch (at.stage()) {
            case MONOLITH -> assertThat(weights).isEqualTo(Map.of("strangler-monolith", 1));
            case SHADOW -> assertThat(weights).isEqualTo(Map.of("strangler-monolith", 1));
            case CANARY -> assertThat(weights).isEqualTo(Map.of("strangler-monolith", 10_000 - (int) Math.round(at.percent() * 100),
                    "strangler-svc-posts", (int) Math.round(at.percent() * 100)));
            case LIVE, RETIRED -> assertThat(weights).isEqualTo(Map.of("strangler-svc-posts", 1));
        }
        assertThat(mirrored).isEqualTo(at.equals(Position.SHADOW));
        // a client's own shadow mark reaches no backend: removed first, before any mirror copies the request
        assertThat(rule.getFilters().getFirst().getType()).isEqualTo("RequestHeaderModifier");
        assertThat(rule.getFilters().getFirst().getRequestHeaderModifier().getRemove()).containsExactly("X-Strangler-Shadow");
        for (HTTPBackendRef ref : rule.getBackendRefs()) {
            boolean rewritten = ref.getFilters().stream().anyMatch(f -> f.getType().equals("URLRewrite")
                    && f.getUrlRewrite().getPath().getReplacePrefixMatch().equals("/posts"));
            assertThat(rewritten).as("rewrite on %s", ref.getName()).isEqualTo(ref.getName().equals("strangler-svc-posts"));
        }
        assertThat(parsed.getMetadata().getAnnotations()).containsEntry("strangler.dev/stage", at.toString());
    }

    @Test
    void aRouteWithPathParametersAndHeadersIsMatchedByRegexAndHeaderAndSaysWhatIsNotExpressed() throws Exception {
        String rendered = GatewayApiManifests.render(config(users().withRewrite("/users/{id}")), Export.GATEWAY);
        HTTPRoute parsed = documents(rendered).stream().filter(d -> d.get("kind").asText().equals("HTTPRoute"))
                .map(d -> convert(d)).findFirst().orElseThrow();
        var match = parsed.getSpec().getRules().getFirst().getMatches().getFirst();

        assertThat(match.getPath().getType()).isEqualTo("RegularExpression");
        assertThat(match.getPath().getValue()).isEqualTo("^/api/users/[^/]+$");
        assertThat(match.getHeaders()).singleElement().satisfies(h -> {
            assertThat(h.getName()).isEqualTo("x-tenant");
            assertThat(h.getValue()).isEqualTo("acme");
        });
        assertThat(rendered).contains("# NOT EXPRESSED: rewrite /users/{id} uses path parameters").contains("no sticky split");
    }

    @Test
    void aDotInThePathIsMatchedLiterallyNotAsAnyCharacter() {
        var match = GatewayApiManifests.httpRoute(versioned(), config(versioned()), Export.GATEWAY)
                .getSpec().getRules().getFirst().getMatches().getFirst();

        assertThat(match.getPath().getType()).isEqualTo("RegularExpression");
        assertThat(match.getPath().getValue()).isEqualTo("^/api/v1\\.0/orders/[^/]+$");
        Pattern regex = Pattern.compile(match.getPath().getValue());
        assertThat(regex.matcher("/api/v1.0/orders/7").matches()).isTrue();
        assertThat(regex.matcher("/api/v1x0/orders/7").matches()).as("a path that differs where the route has a dot").isFalse();
    }

    private static HTTPRoute convert(JsonNode d) {
        try {
            return ManifestText.yaml().treeToValue(d, HTTPRoute.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<JsonNode> documents(String yaml) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (var parser = ManifestText.yaml().createParser(yaml)) {
            var it = ManifestText.yaml().readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) out.add(n);
            }
        }
        return out;
    }
}
