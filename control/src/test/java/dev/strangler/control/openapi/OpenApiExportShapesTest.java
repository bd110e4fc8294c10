package dev.strangler.control.openapi;

import dev.strangler.core.catalog.Catalog;
import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** The exported document on a catalog learnt from messy traffic beside a spec with other names. */
class OpenApiExportShapesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    static OpenAPI parse(String yaml) {
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, null);
        assertThat(result.getMessages()).as("parser messages for%n%s", yaml).isEmpty();
        return result.getOpenAPI();
    }

    /** Paths with their parameter names blanked: OpenAPI forbids two paths with the same. */
    static Set<String> shapes(OpenAPI document) {
        return document.getPaths().keySet().stream().map(p -> p.replaceAll("\\{[^}]+}", "{}")).collect(Collectors.toSet());
    }

    private static void get(Catalog c, String path, int status) {
        c.record("GET", path, status, 2_000_000, 0, 100, Optional.empty(), Optional.empty(), T0);
    }

    @Test
    void equivalentPathsAreExportedOnceUnderTheDeclaredName() {
        List<EndpointSummary> endpoints = List.of(
                EndpointSummary.declaredOnly(new EndpointKey("GET", "/orderlines/{orderLineId}")),
                summary("GET", "/orderlines/{orderlineId}", 1300),
                summary("DELETE", "/orderlines/{id}", 4),
                summary("GET", "/carts/{cartId}", 10),
                summary("GET", "/carts/{id}", 2));

        OpenAPI document = parse(OpenApiExport.write(endpoints, "Shop"));

        assertThat(document.getPaths()).containsOnlyKeys("/orderlines/{orderLineId}", "/carts/{cartId}");
        assertThat(shapes(document)).hasSize(document.getPaths().size());
        Operation get = document.getPaths().get("/orderlines/{orderLineId}").getGet();
        @SuppressWarnings("unchecked")
        Map<String, Object> numbers = (Map<String, Object>) get.getExtensions().get(OpenApiExport.EXTENSION);
        assertThat(numbers).containsEntry("count", 1300).containsEntry("declared", true);
        assertThat(document.getPaths().get("/orderlines/{orderLineId}").getDelete()).isNotNull();
    }

    @Test
    void parameterTypesComeFromTheValuesSeenAndQueryParametersFromTheRequests() {
        Catalog c = new Catalog();
        get(c, "/orders/17?page=2&size=20", 200);
        get(c, "/orders/-3?page=1", 404);
        get(c, "/users/1f0e6b8e-4a8c-4b8e-9d0e-2b1a3c4d5e6f/days/2026-11-30", 200);
        get(c, "/tags/a1b2c3d4e5f6a7b8c9", 200);

        OpenAPI document = parse(OpenApiExport.write(c.snapshot(), "Observed"));

        Operation order = document.getPaths().get("/orders/{orderId}").getGet();
        assertThat(order.getParameters()).extracting(Parameter::getName, Parameter::getIn, Parameter::getRequired,
                        p -> p.getSchema().getType(), p -> p.getSchema().getFormat(), Parameter::getExample)
                .containsExactly(
                        tuple("orderId", "path", true, "integer", "int64", null),
                        tuple("page", "query", false, "string", null, null),
                        tuple("size", "query", false, "string", null, null));
        assertThat(order.getParameters().get(1).getExtensions().get(OpenApiExport.EXTENSION)).isEqualTo(Map.of("requests", 2));
        assertThat(document.getPaths().get("/users/{userId}/days/{date}").getGet().getParameters())
                .extracting(p -> p.getSchema().getType(), p -> p.getSchema().getFormat())
                .containsExactly(tuple("string", "uuid"), tuple("string", "date"));
        assertThat(document.getPaths().get("/tags/{tagId}").getGet().getParameters())
                .extracting(p -> p.getSchema().getType(), p -> p.getSchema().getFormat()).containsExactly(tuple("string", null));
    }

    private static EndpointSummary summary(String method, String template, long count) {
        return new EndpointSummary(new EndpointKey(method, template), count, Map.of(200, count),
                dev.strangler.core.catalog.LatencySketch.empty(), 0, 0, Optional.of(T0), Optional.of(T0), Optional.empty(),
                Optional.empty(), false);
    }
}
