package dev.strangler.control.openapi;

import dev.strangler.core.catalog.EndpointKey;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.LatencySketch;
import dev.strangler.core.stage.Stage;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiExportTest {

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @TempDir
    Path directory;

    @Test
    void importThenExportThenImportGivesTheSameDeclaredEndpoints() throws Exception {
        List<EndpointKey> declared = OpenApiImport.read(OpenApiImportTest.shop());
        List<EndpointSummary> catalog = declared.stream().map(EndpointSummary::declaredOnly).toList();

        String yaml = OpenApiExport.write(catalog, "Shop monolith");
        List<EndpointKey> again = OpenApiImport.read(Files.writeString(directory.resolve("exported.yaml"), yaml));

        assertThat(again).isEqualTo(declared).hasSize(10);
        Operation never = parse(yaml).getPaths().get("/api/v1/users/{userId}").getDelete();
        assertThat(never.getResponses()).containsOnlyKeys("default");
        assertThat(never.getExtensions().get(OpenApiExport.EXTENSION)).isEqualTo(Map.of("declared", true,
                "observed", false, "count", 0));
    }

    @Test
    void observedEndpointsAreExportedWithTheirParametersStatusCodesAndNumbers() {
        EndpointSummary order = observed("GET", "/api/users/{userId}/orders/{orderId}", Map.of(200, 117L, 404, 2L,
                503, 1L), "orders", Stage.CANARY);
        EndpointSummary upload = observed("POST", "/api/uploads", Map.of(201, 3L, 0, 1L), null, null);

        String yaml = OpenApiExport.write(List.of(upload, order), "Observed");

        OpenAPI document = parse(yaml);
        assertThat(document.getOpenapi()).isEqualTo("3.0.3");
        assertThat(document.getInfo().getTitle()).isEqualTo("Observed");
        assertThat(document.getPaths()).containsOnlyKeys("/api/uploads", "/api/users/{userId}/orders/{orderId}");

        Operation get = document.getPaths().get("/api/users/{userId}/orders/{orderId}").getGet();
        assertThat(get.getParameters()).extracting(Parameter::getName, Parameter::getIn, Parameter::getRequired,
                p -> p.getSchema().getType()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("userId", "path", true, "string"),
                org.assertj.core.groups.Tuple.tuple("orderId", "path", true, "string"));
        assertThat(get.getResponses()).containsOnlyKeys("200", "404", "503");
        assertThat(get.getResponses().get("200").getDescription()).isEqualTo("observed 117 times");
        assertThat(get.getResponses().get("503").getDescription()).isEqualTo("observed 1 time");
        @SuppressWarnings("unchecked")
        Map<String, Object> numbers = (Map<String, Object>) get.getExtensions().get(OpenApiExport.EXTENSION);
        assertThat(numbers).containsEntry("declared", false).containsEntry("observed", true)
                .containsEntry("count", 120).containsEntry("errorRate", 0.0083)
                .containsEntry("firstSeen", "2026-11-20T08:00:00Z").containsEntry("lastSeen", "2026-11-20T09:00:00Z")
                .containsEntry("route", "orders").containsEntry("stage", "canary")
                .containsEntry("requestBytes", 1200).containsEntry("responseBytes", 24000)
                .containsKeys("p50Ms", "p99Ms");
        assertThat((Double) numbers.get("p50Ms")).isBetween(59.0, 61.0);
        assertThat((Double) numbers.get("p99Ms")).isBetween(117.0, 120.0);

        Operation post = document.getPaths().get("/api/uploads").getPost();
        assertThat(post.getParameters()).isNull();
        assertThat(post.getResponses()).containsOnlyKeys("201");
        assertThat(post.getExtensions().get(OpenApiExport.EXTENSION)).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("clientAborted", 1)
                .doesNotContainKeys("route", "stage");
    }

    @Test
    void aDeclaredEndpointThatWasCalledIsBothAndTwoSummariesOfOneEndpointAreAdded() {
        EndpointKey key = new EndpointKey("GET", "/api/posts/{postId}");
        EndpointSummary fromTraffic = observed("GET", key.template(), Map.of(200, 10L), null, null);

        String yaml = OpenApiExport.write(List.of(EndpointSummary.declaredOnly(key), fromTraffic, fromTraffic), "t");

        Operation get = parse(yaml).getPaths().get(key.template()).getGet();
        assertThat(get.getExtensions().get(OpenApiExport.EXTENSION)).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("declared", true)
                .containsEntry("observed", true).containsEntry("count", 20);
        assertThat(get.getResponses().get("200").getDescription()).isEqualTo("observed 20 times");
    }

    @Test
    void aMethodOpenApiCannotExpressIsKeptUnderAPathExtension() {
        EndpointSummary propfind = observed("PROPFIND", "/dav/{file}", Map.of(207, 4L), null, null);
        EndpointSummary get = observed("GET", "/dav/{file}", Map.of(200, 4L), null, null);

        OpenAPI document = parse(OpenApiExport.write(List.of(propfind, get), "WebDAV"));

        var path = document.getPaths().get("/dav/{file}");
        assertThat(path.readOperationsMap()).containsOnlyKeys(io.swagger.v3.oas.models.PathItem.HttpMethod.GET);
        assertThat(path.getExtensions().get(OpenApiExport.OTHER_METHODS)).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsOnlyKeys("PROPFIND");
    }

    @Test
    void parameterNamesAreEveryBracedSegmentOnce() {
        assertThat(OpenApiExport.parameterNames("/a/{x}/b/{y}.{format}/{x}")).containsExactly("x", "y", "format");
        assertThat(OpenApiExport.parameterNames("/a/b")).isEmpty();
    }

    /** Parsed back by swagger-parser, which must find nothing wrong. */
    private static OpenAPI parse(String yaml) {
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, null);
        assertThat(result.getMessages()).as("parser messages for%n%s", yaml).isEmpty();
        return result.getOpenAPI();
    }

    /** Called once a minute from T0 with latencies 1..n ms; 10 request and 200 response bytes each. */
    private static EndpointSummary observed(String method, String template, Map<Integer, Long> codes, String route,
                                            Stage stage) {
        long count = codes.values().stream().mapToLong(Long::longValue).sum();
        LatencySketch.Recorder latency = new LatencySketch.Recorder();
        for (long i = 1; i <= count; i++) latency.recordNanos(i * 1_000_000L);
        return new EndpointSummary(new EndpointKey(method, template), count, codes, latency.snapshot(), 10 * count,
                200 * count, Optional.of(T0), Optional.of(T0.plusSeconds(30 * count)), Optional.ofNullable(route),
                Optional.ofNullable(stage), false);
    }
}
